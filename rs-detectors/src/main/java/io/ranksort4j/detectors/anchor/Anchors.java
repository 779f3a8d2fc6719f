package io.ranksort4j.detectors.anchor;

/**
 * The anchors of one padded input size: flat (x1, y1, x2, y2) boxes, where each pyramid level starts, each level's
 * feature size and stride ({@code strides} is null for box sets that are not a pyramid, e.g. proposals).
 */
public record Anchors(float[] boxes, int[] levelStart, int[][] featureSizes, int perLocation, int[] strides) {
    /** A box set without pyramid strides (every anchor counts as valid). */
    public Anchors(float[] boxes, int[] levelStart, int[][] featureSizes, int perLocation) {
        this(boxes, levelStart, featureSizes, perLocation, null);
    }

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

    /**
     * mmdetection's anchor_inside_flags: an anchor is valid when its feature cell lies within ceil(image size / stride)
     * cells of the level, i.e. not only over the zero padding of a smaller image in the batch (valid flags); with
     * {@code allowedBorder} &ge; 0 it must also lie inside the image grown by that many pixels. Null when every anchor
     * is inside (or the image size is unknown).
     */
    public boolean[] inside(int imageWidth, int imageHeight, int allowedBorder) {
        if (strides == null || imageWidth <= 0 || imageHeight <= 0) {
            return null;
        }
        boolean[] out = new boolean[count()];
        boolean all = true;
        for (int l = 0; l < levels(); l++) {
            int h = featureSizes[l][0];
            int w = featureSizes[l][1];
            int vh = Math.min(h, (imageHeight + strides[l] - 1) / strides[l]);
            int vw = Math.min(w, (imageWidth + strides[l] - 1) / strides[l]);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int j = 0, i = levelStart[l] + (y * w + x) * perLocation; j < perLocation; j++, i++) {
                        out[i] = y < vh && x < vw && (allowedBorder < 0 || (boxes[4 * i] >= -allowedBorder && boxes[4 * i + 1] >= -allowedBorder
                                && boxes[4 * i + 2] < imageWidth + allowedBorder && boxes[4 * i + 3] < imageHeight + allowedBorder));
                        all &= out[i];
                    }
                }
            }
        }
        return all ? null : out;
    }

    /** The anchors whose flag is set, levels kept (feature sizes are the full ones; only levelStart is exact). */
    public Anchors subset(boolean[] keep) {
        int[] start = new int[levelStart.length];
        float[] b = new float[boxes.length];
        int k = 0;
        for (int l = 0; l + 1 < levelStart.length; l++) {
            start[l] = k;
            for (int i = levelStart[l]; i < levelStart[l + 1]; i++) {
                if (keep[i]) {
                    System.arraycopy(boxes, 4 * i, b, 4 * k, 4);
                    k++;
                }
            }
        }
        start[levelStart.length - 1] = k;
        return new Anchors(java.util.Arrays.copyOf(b, 4 * k), start, featureSizes, perLocation, null);
    }
}
