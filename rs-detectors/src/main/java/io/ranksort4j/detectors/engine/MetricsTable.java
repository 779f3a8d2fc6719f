package io.ranksort4j.detectors.engine;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The end-of-run summary: a metrics table in percent and detectron2's {@code copypaste} lines. */
public final class MetricsTable {
    private MetricsTable() {}

    /** A Markdown-style table of the given keys (those present), values as percentages. */
    public static String render(String title, Map<String, Double> metrics, List<String> keys) {
        List<String> present = keys.stream().filter(metrics::containsKey).toList();
        StringBuilder sb = new StringBuilder(title).append('\n');
        sb.append('|').append(present.stream().map(k -> String.format(Locale.ROOT, " %6s ", k)).collect(Collectors.joining("|"))).append("|\n");
        sb.append('|').append(present.stream().map(k -> ":------:".substring(0, 8)).collect(Collectors.joining("|"))).append("|\n");
        sb.append('|').append(present.stream().map(k -> String.format(Locale.ROOT, " %6s ", pct(metrics.get(k)))).collect(Collectors.joining("|"))).append("|\n");
        return sb.toString();
    }

    /** {@code copypaste: AP,AP50,...} and {@code copypaste: 41.2,59.3,...}, as detectron2 prints them. */
    public static String copypaste(Map<String, Double> metrics, List<String> keys) {
        List<String> present = keys.stream().filter(metrics::containsKey).toList();
        return "copypaste: " + String.join(",", present) + "\ncopypaste: "
                + present.stream().map(k -> String.format(Locale.ROOT, "%.4f", 100 * metrics.get(k))).collect(Collectors.joining(","));
    }

    private static String pct(Double v) {
        return v == null || v < 0 ? "nan" : String.format(Locale.ROOT, "%.3f", 100 * v);
    }
}
