package io.ranksort4j.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.IoErrors;
import io.ranksort4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A run's {@code metrics.jsonl} read back: each numeric key of the train or val records as a curve over iterations. */
public final class MetricsLog {
    private final Map<String, double[][]> train;
    private final Map<String, double[][]> val;

    private MetricsLog(Map<String, double[][]> train, Map<String, double[][]> val) {
        this.train = train;
        this.val = val;
    }

    /** Reads the file; a line cut short by a kill is left out. */
    public static MetricsLog read(Path jsonl) {
        Map<String, List<double[]>> train = new TreeMap<>();
        Map<String, List<double[]>> val = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(jsonl);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl + ": " + IoErrors.reason(e), e);
        }
        for (String line : lines) {
            JsonNode rec;
            try {
                rec = Json.MAPPER.readTree(line);
            } catch (IOException e) {
                continue;
            }
            Map<String, List<double[]>> into = "val".equals(rec.path("mode").asText()) ? val : train;
            double iter = rec.path("iter").asDouble(Double.NaN);
            rec.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber() && !e.getKey().equals("iter") && !e.getKey().equals("epoch")) {
                    into.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(new double[] {iter, e.getValue().asDouble()});
                }
            });
        }
        return new MetricsLog(arrays(train), arrays(val));
    }

    private static Map<String, double[][]> arrays(Map<String, List<double[]>> m) {
        Map<String, double[][]> out = new LinkedHashMap<>();
        m.forEach((k, pts) -> out.put(k, new double[][] {pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()}));
        return out;
    }

    /** Train curves by key: {iterations, values}. */
    public Map<String, double[][]> train() {
        return train;
    }

    /** Evaluation curves by metric: {iterations, values}. */
    public Map<String, double[][]> val() {
        return val;
    }

    /** A key's curve, looked up in the train records first, then the val ones; null if neither has it. */
    public double[][] curve(String key) {
        return train.containsKey(key) ? train.get(key) : val.get(key);
    }
}
