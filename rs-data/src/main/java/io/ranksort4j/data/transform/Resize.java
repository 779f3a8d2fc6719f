package io.ranksort4j.data.transform;

/** Keep-ratio rescaling as mmcv's {@code rescale_size}, and a bilinear resize that normalises on the way. */
public final class Resize {
    private Resize() {}

    /**
     * The output size of a keep-ratio resize of {@code w × h} to {@code scale = (long edge, short edge)}:
     * the largest factor with long side ≤ longEdge and short side ≤ shortEdge, rounded as mmcv.
     */
    public static int[] keepRatioSize(int w, int h, int longEdge, int shortEdge) {
        double f = keepRatioFactor(w, h, longEdge, shortEdge);
        return new int[] {(int) (w * f + 0.5), (int) (h * f + 0.5)};
    }

    public static double keepRatioFactor(int w, int h, int longEdge, int shortEdge) {
        int lo = Math.min(longEdge, shortEdge);
        int hi = Math.max(longEdge, shortEdge);
        return Math.min((double) hi / Math.max(w, h), (double) lo / Math.min(w, h));
    }

    /**
     * Bilinear resize (half-pixel centres, as OpenCV's INTER_LINEAR) to {@code ow × oh}, mirrored
     * horizontally if {@code flip}, normalised per channel as {@code (v − mean) / std}; output planar CHW floats.
     */
    public static float[] resizeNormalize(DecodedImage src, int ow, int oh, boolean flip, float[] mean, float[] std) {
        int w = src.width();
        int h = src.height();
        byte[] s = src.rgb();
        float[] out = new float[3 * ow * oh];
        int plane = ow * oh;
        double sx = (double) w / ow;
        double sy = (double) h / oh;
        int[] x0 = new int[ow];
        int[] x1 = new int[ow];
        float[] fx = new float[ow];
        for (int x = 0; x < ow; x++) {
            int dx = flip ? ow - 1 - x : x;
            double fxs = Math.max(0, (dx + 0.5) * sx - 0.5);
            int xi = Math.min((int) fxs, w - 1);
            x0[x] = xi * 3;
            x1[x] = Math.min(xi + 1, w - 1) * 3;
            fx[x] = (float) (fxs - xi);
        }
        float m0 = mean[0];
        float m1 = mean[1];
        float m2 = mean[2];
        float i0 = 1f / std[0];
        float i1 = 1f / std[1];
        float i2 = 1f / std[2];
        for (int y = 0; y < oh; y++) {
            double fys = Math.max(0, (y + 0.5) * sy - 0.5);
            int yi = Math.min((int) fys, h - 1);
            float fy = (float) (fys - yi);
            int r0 = yi * w * 3;
            int r1 = Math.min(yi + 1, h - 1) * w * 3;
            int o = y * ow;
            float gy = 1f - fy;
            for (int x = 0; x < ow; x++) {
                // Channels unrolled: the per-channel branch cost more than the arithmetic.
                float a = fx[x];
                float b = 1f - a;
                float w00 = b * gy;
                float w01 = a * gy;
                float w10 = b * fy;
                float w11 = a * fy;
                int p00 = r0 + x0[x];
                int p01 = r0 + x1[x];
                int p10 = r1 + x0[x];
                int p11 = r1 + x1[x];
                float v0 = w00 * (s[p00] & 0xff) + w01 * (s[p01] & 0xff) + w10 * (s[p10] & 0xff) + w11 * (s[p11] & 0xff);
                float v1 = w00 * (s[p00 + 1] & 0xff) + w01 * (s[p01 + 1] & 0xff) + w10 * (s[p10 + 1] & 0xff) + w11 * (s[p11 + 1] & 0xff);
                float v2 = w00 * (s[p00 + 2] & 0xff) + w01 * (s[p01 + 2] & 0xff) + w10 * (s[p10 + 2] & 0xff) + w11 * (s[p11 + 2] & 0xff);
                out[o + x] = (v0 - m0) * i0;
                out[plane + o + x] = (v1 - m1) * i1;
                out[2 * plane + o + x] = (v2 - m2) * i2;
            }
        }
        return out;
    }

    /** Normalises without resizing (the image is already at its output size), mirrored if {@code flip}; planar CHW. */
    public static float[] normalize(DecodedImage src, boolean flip, float[] mean, float[] std) {
        int w = src.width();
        int h = src.height();
        byte[] s = src.rgb();
        int plane = w * h;
        float[] out = new float[3 * plane];
        float m0 = mean[0];
        float m1 = mean[1];
        float m2 = mean[2];
        float i0 = 1f / std[0];
        float i1 = 1f / std[1];
        float i2 = 1f / std[2];
        for (int y = 0; y < h; y++) {
            int row = y * w;
            for (int x = 0; x < w; x++) {
                int p = (row + (flip ? w - 1 - x : x)) * 3;
                int o = row + x;
                out[o] = ((s[p] & 0xff) - m0) * i0;
                out[plane + o] = ((s[p + 1] & 0xff) - m1) * i1;
                out[2 * plane + o] = ((s[p + 2] & 0xff) - m2) * i2;
            }
        }
        return out;
    }

    /** Scales {@code xyxy} boxes in place by (sx, sy) and clips them to {@code w × h}. */
    public static void scaleBoxes(float[] xyxy, double sx, double sy, int w, int h) {
        for (int i = 0; i < xyxy.length; i += 4) {
            xyxy[i] = clip((float) (xyxy[i] * sx), w);
            xyxy[i + 1] = clip((float) (xyxy[i + 1] * sy), h);
            xyxy[i + 2] = clip((float) (xyxy[i + 2] * sx), w);
            xyxy[i + 3] = clip((float) (xyxy[i + 3] * sy), h);
        }
    }

    private static float clip(float v, int max) {
        return Math.max(0, Math.min(max, v));
    }
}
