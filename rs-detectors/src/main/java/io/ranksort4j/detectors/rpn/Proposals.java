package io.ranksort4j.detectors.rpn;

/** One image's RPN proposals, best first: flat (x1, y1, x2, y2) boxes, their scores and their pyramid levels. */
public record Proposals(float[] boxes, float[] scores, int[] levels) {
    public int count() {
        return scores.length;
    }

    /** mmdetection's (n, 5) proposal tensor, row-major: x1, y1, x2, y2, score. */
    public float[] rows() {
        float[] out = new float[5 * count()];
        for (int i = 0; i < count(); i++) {
            System.arraycopy(boxes, 4 * i, out, 5 * i, 4);
            out[5 * i + 4] = scores[i];
        }
        return out;
    }
}
