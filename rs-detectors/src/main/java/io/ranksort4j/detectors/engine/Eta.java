package io.ranksort4j.detectors.engine;

/** Formats durations as {@code h:mm:ss}, the way training logs show ETAs. */
public final class Eta {
    private Eta() {}

    public static String format(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "-:--:--";
        }
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
