package io.ranksort4j.core.config;

import java.util.Collection;
import java.util.Locale;

/** Name helpers for configuration keys: snake_case mapping and "did you mean" suggestions. */
public final class Names {
    private Names() {}

    /** {@code nmsPre} → {@code nms_pre}; record components are camelCase, config keys snake_case. */
    public static String snake(String camel) {
        StringBuilder sb = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The closest candidate within a small edit distance, or null when nothing is close. */
    public static String nearest(String name, Collection<String> candidates) {
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        String lower = name.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(lower, c.toLowerCase(Locale.ROOT));
            if (d < bestDist || (d == bestDist && best != null && c.compareTo(best) < 0)) {
                bestDist = d;
                best = c;
            }
        }
        if (best == null) {
            return null;
        }
        int allowed = Math.max(2, Math.min(name.length(), best.length()) / 3);
        boolean prefix = best.startsWith(lower) || lower.startsWith(best);
        return bestDist <= allowed || prefix ? best : null;
    }

    /** "did you mean 'x'?" or an empty string. */
    public static String didYouMean(String name, Collection<String> candidates) {
        String n = nearest(name, candidates);
        return n == null ? "" : "did you mean '" + n + "'? ";
    }

    /** Damerau-Levenshtein (optimal string alignment) distance, so swapped letters count once. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
