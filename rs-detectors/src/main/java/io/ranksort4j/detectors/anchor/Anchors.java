package io.ranksort4j.detectors.anchor;

/** The anchors of one input size: flat (x1, y1, x2, y2) boxes and where each pyramid level starts. */
public record Anchors(float[] boxes, int[] levelStart, int[][] featureSizes, int perLocation) {
    public int count() {
        return boxes.length / 4;
    }

    public int levels() {
        return featureSizes.length;
    }

    public int levelOf(int anchor) {
        int l = 0;
        while (levelStart[l + 1] <= anchor) {
            l++;
        }
        return l;
    }
}
