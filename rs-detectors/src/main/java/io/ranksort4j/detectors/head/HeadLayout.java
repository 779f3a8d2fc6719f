package io.ranksort4j.detectors.head;

import io.ranksort4j.detectors.anchor.Anchors;

/**
 * Where each value of the network's single flattened output row lives: per level, the class logits
 * [A·C, H, W], then the box deltas [A·4, H, W], then (optionally) centerness [A, H, W], each in C order; and the
 * conversions to the anchor-major arrays the losses use (anchor = level, y, x, a as in mmdetection).
 */
public record HeadLayout(int classes, Anchors anchors, boolean centerness) {

    /** Length of one image's output row. */
    public int width() {
        return anchors.count() * (classes + 4 + (centerness ? 1 : 0));
    }

    /** Copies one output row into anchor-major logits [n·C], deltas [n·4] and centerness [n] (or null). */
    public HeadOutputs split(float[] row) {
        int n = anchors.count();
        float[] logits = new float[n * classes];
        float[] deltas = new float[n * 4];
        float[] ctr = centerness ? new float[n] : null;
        walk(row, logits, deltas, ctr, true);
        return new HeadOutputs(logits, deltas, ctr);
    }

    /** The inverse of {@link #split}: gathers anchor-major gradients into an output row. */
    public float[] join(float[] logits, float[] deltas, float[] ctr) {
        float[] row = new float[width()];
        walk(row, logits, deltas, ctr, false);
        return row;
    }

    private void walk(float[] row, float[] logits, float[] deltas, float[] ctr, boolean toAnchors) {
        int a = anchors.perLocation();
        int o = 0;
        for (int l = 0; l < anchors.levels(); l++) {
            int h = anchors.featureSizes()[l][0];
            int w = anchors.featureSizes()[l][1];
            int hw = h * w;
            int start = anchors.levelStart()[l];
            o = copy(row, o, logits, start, a, classes, hw, toAnchors);
            o = copy(row, o, deltas, start, a, 4, hw, toAnchors);
            if (centerness) {
                o = copy(row, o, ctr, start, a, 1, hw, toAnchors);
            }
        }
    }

    /** One [A·k, H, W] block ↔ anchor-major [(start + p·A + j)·k + c]. */
    private static int copy(float[] row, int o, float[] dst, int start, int a, int k, int hw, boolean toAnchors) {
        for (int j = 0; j < a; j++) {
            for (int c = 0; c < k; c++) {
                int ch = o + (j * k + c) * hw;
                for (int p = 0; p < hw; p++) {
                    int d = (start + p * a + j) * k + c;
                    if (toAnchors) {
                        dst[d] = row[ch + p];
                    } else {
                        row[ch + p] = dst[d];
                    }
                }
            }
        }
        return o + a * k * hw;
    }
}
