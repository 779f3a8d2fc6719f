package io.ranksort4j.bench.suite;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs RankSort4j's JMH suites (losses, evaluation, data loading, training step, RoIAlign) and turns them into one table:
 * each benchmark's score beside its class's {@code baseline*} method with the same parameters, as a ratio.
 */
public final class BenchSuite {
    /** Every suite; {@code --include} narrows it with a regular expression over benchmark names. */
    public static final String ALL = "io\\.ranksort4j\\.bench\\.";

    /** One benchmark × parameter set: the score in ms/op, its 99.9 % error, and the ratio to the baseline. */
    public record Row(String suite, String benchmark, String params, double score, double error, String unit, double ratio) {}

    private BenchSuite() {}

    /**
     * Runs the benchmarks matching {@code include}. {@code quick}: short warm-up and measurement, and the loss
     * suite at M = 10⁶, P = 2000 only; minutes instead of most of an hour.
     */
    public static List<Row> run(boolean quick, String include) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder().include(include).shouldFailOnError(true);
        if (quick) {
            o.warmupIterations(1).warmupTime(TimeValue.seconds(2)).measurementIterations(3).measurementTime(TimeValue.seconds(2))
                    .param("logits", "1000000").param("positives", "2000");
        }
        return run(o);
    }

    static List<Row> run(ChainedOptionsBuilder options) throws RunnerException {
        return rows(new Runner(options.build()).run());
    }

    static List<Row> rows(Collection<RunResult> results) {
        // group key: class + parameters; the baseline is the method named baseline* in the same group
        Map<String, Map<String, RunResult>> groups = new TreeMap<>();
        for (RunResult r : results) {
            String full = r.getParams().getBenchmark();
            int dot = full.lastIndexOf('.');
            groups.computeIfAbsent(full.substring(0, dot) + "|" + params(r), k -> new LinkedHashMap<>()).put(full.substring(dot + 1), r);
        }
        List<Row> rows = new ArrayList<>();
        for (var g : groups.entrySet()) {
            String cls = g.getKey().substring(0, g.getKey().indexOf('|'));
            String suite = cls.substring(cls.lastIndexOf('.') + 1).replace("Benchmark", "");
            RunResult base = g.getValue().entrySet().stream().filter(e -> e.getKey().startsWith("baseline")).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            for (var e : g.getValue().entrySet()) {
                var s = e.getValue().getPrimaryResult();
                double ratio = base == null ? Double.NaN : s.getScore() / base.getPrimaryResult().getScore();
                rows.add(new Row(suite, e.getKey(), params(e.getValue()), s.getScore(), s.getScoreError(), s.getScoreUnit(), ratio));
            }
        }
        return rows;
    }

    private static String params(RunResult r) {
        var p = r.getParams();
        List<String> kv = new ArrayList<>();
        for (String k : p.getParamsKeys()) {
            kv.add(k + "=" + p.getParam(k));
        }
        return String.join(", ", kv);
    }

    /** The rows as a Markdown table. */
    public static String markdown(List<Row> rows) {
        StringBuilder sb = new StringBuilder("| suite | benchmark | parameters | score | ± (99.9 %) | unit | ratio to baseline |\n");
        sb.append("|---|---|---|---:|---:|---|---:|\n");
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f | %s | %s |%n", r.suite(), r.benchmark(),
                    r.params().isEmpty() ? "–" : r.params(), r.score(), r.error(), r.unit(),
                    Double.isNaN(r.ratio()) ? "–" : String.format(Locale.ROOT, "%.2f", r.ratio())));
        }
        return sb.toString();
    }
}
