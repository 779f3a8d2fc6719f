package io.ranksort4j.eval.coco;

/**
 * The matching of one (image, category) cell, per area range: what accumulation needs and nothing more.
 *
 * @param imageIndex position of the image in sorted image ids
 * @param scores detection scores, sorted descending (stable) and capped
 * @param state {@code [(a * T + t) * D + d]}: {@link #FP}, {@link #TP} or {@link #IGNORED}
 * @param nonIgnoredGt per area range, the GT that count towards recall
 * @param tpIou {@code [a * D + d]}: the IoU of each detection that is a TP at the first threshold (else 0)
 */
public record CellEval(int imageIndex, double[] scores, byte[] state, int[] nonIgnoredGt, double[] tpIou) {
    public static final byte FP = 0;
    public static final byte TP = 1;
    public static final byte IGNORED = 2;

    public int detections() {
        return scores.length;
    }
}
