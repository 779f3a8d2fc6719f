package io.ranksort4j.detectors.roi;

/**
 * mmdetection's SingleRoIExtractor over an FPN: each RoI is pooled by RoIAlign from one level, chosen by its scale
 * (level = floor(log2(sqrt(w·h) / finest_scale + 1e-6)), clamped to the levels), and the backward pass scatters
 * each RoI's output gradient into that level's feature gradient.
 */
public final class RoiFeatures {
    private final int size;
    private final int samplingRatio;
    private final double finestScale;
    private final int[] strides;

    /** @param strides the feature levels' strides, finest first (P2–P5: 4, 8, 16, 32) */
    public RoiFeatures(int size, int samplingRatio, double finestScale, int[] strides) {
        this.size = size;
        this.samplingRatio = samplingRatio;
        this.finestScale = finestScale;
        this.strides = strides.clone();
    }

    /** A batch's feature maps: per level n × c × h × w, row-major. */
    public record Maps(float[][] levels, int n, int c, int[][] hw) {}

    public int size() {
        return size;
    }

    /** The level each RoI (k × 5 rows: image, x1, y1, x2, y2) is pooled from. */
    public int[] levels(float[] rois, int k) {
        int[] lvl = new int[k];
        for (int r = 0; r < k; r++) {
            // float, as torch computes the scale of float32 boxes
            float scale = (float) Math.sqrt((rois[5 * r + 3] - rois[5 * r + 1]) * (rois[5 * r + 4] - rois[5 * r + 2]));
            int l = (int) Math.floor(Math.log(scale / finestScale + 1e-6) / Math.log(2));
            lvl[r] = Math.max(0, Math.min(strides.length - 1, l));
        }
        return lvl;
    }

    /** Pools every RoI: k × c × size × size. */
    public float[] forward(Maps maps, float[] rois, int k) {
        int[] lvl = levels(rois, k);
        int plane = maps.c() * size * size;
        float[] out = new float[k * plane];
        for (int l = 0; l < strides.length; l++) {
            int[] idx = select(lvl, l);
            if (idx.length == 0) {
                continue;
            }
            float[] pooled = align(l).forward(maps.levels()[l], maps.n(), maps.c(), maps.hw()[l][0], maps.hw()[l][1], gather(rois, idx), idx.length);
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(pooled, j * plane, out, idx[j] * plane, plane);
            }
        }
        return out;
    }

    /** Adds dL/d(features) of {@link #forward}'s output gradient {@code gradOut} into {@code grads} (same shapes as the maps). */
    public void backward(Maps maps, float[] rois, int k, float[] gradOut, float[][] grads) {
        int[] lvl = levels(rois, k);
        int plane = maps.c() * size * size;
        for (int l = 0; l < strides.length; l++) {
            int[] idx = select(lvl, l);
            if (idx.length == 0) {
                continue;
            }
            float[] g = new float[idx.length * plane];
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(gradOut, idx[j] * plane, g, j * plane, plane);
            }
            float[] fg = align(l).backward(g, maps.n(), maps.c(), maps.hw()[l][0], maps.hw()[l][1], gather(rois, idx), idx.length);
            float[] acc = grads[l];
            for (int i = 0; i < fg.length; i++) {
                acc[i] += fg[i];
            }
        }
    }

    private RoiAlign align(int level) {
        return new RoiAlign(new RoiAlign.Params(size, size, 1f / strides[level], samplingRatio, true));
    }

    private static int[] select(int[] lvl, int l) {
        return java.util.stream.IntStream.range(0, lvl.length).filter(r -> lvl[r] == l).toArray();
    }

    private static float[] gather(float[] rois, int[] idx) {
        float[] out = new float[5 * idx.length];
        for (int j = 0; j < idx.length; j++) {
            System.arraycopy(rois, 5 * idx[j], out, 5 * j, 5);
        }
        return out;
    }
}
