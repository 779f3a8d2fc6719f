package io.ranksort4j.detectors.mask;

import io.ranksort4j.eval.mask.Rle;

/**
 * Pastes a RoI's mask probabilities into the image as mmdetection's test-time {@code _do_paste_mask} followed by
 * {@code >= mask_thr_binary}, in the float arithmetic of torch's CPU {@code grid_sample}.
 *
 * <p>The result equals {@code _do_paste_mask(..., skip_empty=False)} for one box: pixel centres {@code (x + 0.5,
 * y + 0.5)} are mapped to {@code [-1, 1]} relative to the box, infinite grid values (zero-size boxes) become 0 as
 * mmdet does, and {@code F.grid_sample(align_corners=False)} samples the mask bilinearly with zero padding.
 * torch's vectorised CPU kernel (AVX2 and AVX512 builds) is compiled with FMA contraction, so its unnormalisation
 * and the sum of the four weighted corners are fused multiply-adds; we use {@link Math#fma} at the same places,
 * which makes the probabilities bit-identical, not merely close (checked against a torch 2.13 golden file).
 *
 * <p>Only the window of pixels whose sample point can touch the mask is computed (as {@code skip_empty} does on
 * the CPU, but exact): outside it all four bilinear corners fall in the zero padding, so the probability is
 * exactly 0. Boxes whose window cannot be bounded safely (non-finite, huge, or narrower than 1e-3 pixel, where
 * mmdet's infinity-to-0 rule samples the mask centre across the whole image, and 0/0 gives NaN) and thresholds
 * {@code <= 0} fall back to the whole image.
 */
public final class MaskPaster {

    /** mmdet's {@code mask_thr_binary} in every Mask R-CNN config. */
    public static final float DEFAULT_THRESHOLD = 0.5f;

    // the window is bounded in double arithmetic; these limits keep the float grid values far from overflow
    private static final float MAX_COORD = 1e6f;
    private static final float MIN_SPAN = 1e-3f;

    private MaskPaster() {}

    /**
     * A pasted binary mask of an {@code imgH x imgW} image: pixels outside rows {@code [y0, y1)} and columns
     * {@code [x0, x1)} are 0; {@code window} holds the rest row-major ({@code (y - y0) * (x1 - x0) + (x - x0)}).
     */
    public record Pasted(int imgH, int imgW, int y0, int y1, int x0, int x1, boolean[] window) {

        /** Pixel {@code (y, x)} of the image. */
        public boolean get(int y, int x) {
            return y >= y0 && y < y1 && x >= x0 && x < x1 && window[(y - y0) * (x1 - x0) + (x - x0)];
        }

        /** The whole image, row-major ({@code y * imgW + x}). */
        public boolean[] toRowMajor() {
            boolean[] m = new boolean[imgH * imgW];
            int ww = x1 - x0;
            for (int y = y0; y < y1; y++) {
                System.arraycopy(window, (y - y0) * ww, m, y * imgW + x0, ww);
            }
            return m;
        }

        /** Number of foreground pixels. */
        public long area() {
            long a = 0;
            for (boolean b : window) {
                if (b) {
                    a++;
                }
            }
            return a;
        }

        /** COCO RLE of the whole image (what pycocotools' {@code encode} gives for the mask). */
        public Rle toRle() {
            return Rle.encodeRowMajor(toRowMajor(), imgH, imgW);
        }
    }

    /**
     * Pastes and thresholds one mask.
     *
     * @param masks mask probabilities; this mask is {@code masks[offset + r * mw + c]}, {@code mh x mw}
     * @param box {@code x0, y0, x1, y1} in image pixels, as float32 like mmdet's boxes
     * @param threshold foreground where the pasted probability is {@code >= threshold}
     */
    public static Pasted paste(float[] masks, int offset, int mh, int mw, float[] box, int imgH, int imgW, float threshold) {
        int[] win = window(box, mh, mw, imgH, imgW, threshold);
        float[] p = probabilitiesIn(masks, offset, mh, mw, box, win);
        boolean[] b = new boolean[p.length];
        for (int i = 0; i < p.length; i++) {
            b[i] = p[i] >= threshold;
        }
        return new Pasted(imgH, imgW, win[0], win[1], win[2], win[3], b);
    }

    /** Pastes one {@code m x m} mask (the first in {@code masks}) at {@link #DEFAULT_THRESHOLD}. */
    public static Pasted paste(float[] masks, int m, float[] box, int imgH, int imgW) {
        return paste(masks, 0, m, m, box, imgH, imgW, DEFAULT_THRESHOLD);
    }

    /** The pasted probabilities over the whole image, row-major: {@code _do_paste_mask}'s output for one box. */
    public static float[] probabilities(float[] masks, int offset, int mh, int mw, float[] box, int imgH, int imgW) {
        int[] win = window(box, mh, mw, imgH, imgW, DEFAULT_THRESHOLD);
        float[] p = probabilitiesIn(masks, offset, mh, mw, box, win);
        float[] full = new float[imgH * imgW];
        int ww = win[3] - win[2];
        for (int y = win[0]; y < win[1]; y++) {
            System.arraycopy(p, (y - win[0]) * ww, full, y * imgW + win[2], ww);
        }
        return full;
    }

    /**
     * {@code {y0, y1, x0, x1}}: the half-open pixel window outside which the pasted probability is exactly 0
     * (the whole image where that cannot be bounded safely, or where 0 would pass {@code threshold}).
     */
    public static int[] window(float[] box, int mh, int mw, int imgH, int imgW, float threshold) {
        checkShape(mh, mw, imgH, imgW);
        if (box.length < 4) {
            throw new IllegalArgumentException("box needs x0, y0, x1, y1, got " + box.length + " values");
        }
        if (!(threshold > 0)) {
            return new int[] {0, imgH, 0, imgW};
        }
        int[] ys = span(box[1], box[3], mh, imgH);
        int[] xs = span(box[0], box[2], mw, imgW);
        if (ys == null || xs == null) {
            // a degenerate axis can yield NaN samples (0/0), and torch's 0 * NaN weight spreads them along the
            // other axis beyond any window of it
            return new int[] {0, imgH, 0, imgW};
        }
        return new int[] {ys[0], ys[1], xs[0], xs[1]};
    }

    /**
     * Pixel range along one axis whose sample coordinate {@code (c - a) / (b - a) * n - 0.5} lies in
     * {@code (-1, n)}, i.e. pixel centres within half a mask cell of the box, widened by two pixels so float
     * rounding of the grid cannot reach a pixel left out; null where that cannot be bounded safely.
     */
    private static int[] span(float a, float b, int n, int size) {
        float lo = Math.min(a, b), hi = Math.max(a, b);
        if (!(Math.abs(lo) <= MAX_COORD && Math.abs(hi) <= MAX_COORD && hi - lo >= MIN_SPAN)) {
            return null;
        }
        double margin = (hi - lo) / (2.0 * n) + 2;
        long from = (long) Math.floor(lo - margin);
        long to = (long) Math.ceil(hi + margin) + 1;
        int f = (int) Math.max(0, Math.min(size, from));
        int t = (int) Math.max(f, Math.min(size, to));
        return new int[] {f, t};
    }

    private static void checkShape(int mh, int mw, int imgH, int imgW) {
        if (mh <= 0 || mw <= 0 || imgH < 0 || imgW < 0) {
            throw new IllegalArgumentException("bad sizes: mask " + mh + "x" + mw + ", image " + imgH + "x" + imgW);
        }
    }

    /** The probabilities inside {@code win}, row-major over the window. */
    private static float[] probabilitiesIn(float[] masks, int offset, int mh, int mw, float[] box, int[] win) {
        if (offset < 0 || (long) offset + (long) mh * mw > masks.length) {
            throw new IllegalArgumentException("mask " + mh + "x" + mw + " at " + offset + " overruns " + masks.length + " values");
        }
        int y0 = win[0], y1 = win[1], x0 = win[2], x1 = win[3];
        int wh = y1 - y0, ww = x1 - x0;
        float[] out = new float[wh * ww];
        if (wh == 0 || ww == 0) {
            return out;
        }
        // separable grid: every column shares its x sample, every row its y sample
        Axis ax = new Axis(box[0], box[2], mw, x0, ww);
        Axis ay = new Axis(box[1], box[3], mh, y0, wh);
        for (int r = 0; r < wh; r++) {
            float n = ay.hi[r], s = ay.lo[r];
            int iy = ay.idx[r];
            boolean nIn = ay.inLo[r], sIn = ay.inHi[r];
            int rowN = offset + iy * mw, rowS = rowN + mw;
            int o = r * ww;
            for (int c = 0; c < ww; c++) {
                float w = ax.hi[c], e = ax.lo[c];
                int ix = ax.idx[c];
                boolean wIn = ax.inLo[c], eIn = ax.inHi[c];
                // torch gathers 0 for corners in the padding but still multiplies: 0 * NaN weight stays NaN
                float vnw = nIn && wIn ? masks[rowN + ix] : 0f;
                float vne = nIn && eIn ? masks[rowN + ix + 1] : 0f;
                float vsw = sIn && wIn ? masks[rowS + ix] : 0f;
                float vse = sIn && eIn ? masks[rowS + ix + 1] : 0f;
                float acc = vnw * (s * e);
                acc = Math.fma(vne, s * w, acc);
                acc = Math.fma(vsw, n * e, acc);
                acc = Math.fma(vse, n * w, acc);
                out[o + c] = acc;
            }
        }
        return out;
    }

    /** Per-pixel sample positions along one axis: floor index, the two bilinear weights, corner validity. */
    private static final class Axis {
        final int[] idx;
        final float[] lo; // weight of the corner at idx (torch's e / s: 1 - fraction)
        final float[] hi; // weight of the corner at idx + 1 (torch's w / n: the fraction)
        final boolean[] inLo;
        final boolean[] inHi;

        Axis(float a, float b, int n, int from, int count) {
            idx = new int[count];
            lo = new float[count];
            hi = new float[count];
            inLo = new boolean[count];
            inHi = new boolean[count];
            float span = b - a;
            float scale = (float) n / 2; // torch's scaling_factor, size / 2 in scalar_t
            for (int k = 0; k < count; k++) {
                float g = ((from + k) + 0.5f - a) / span * 2f - 1f;
                if (Float.isInfinite(g)) {
                    g = 0f; // mmdet's ONNX-free path zeroes infinities (zero-size boxes); NaN stays NaN
                }
                float u = Math.fma(g + 1f, scale, -0.5f);
                float f = (float) Math.floor(u);
                float frac = u - f;
                hi[k] = frac;
                lo[k] = 1f - frac;
                // float comparisons reject NaN like torch's int compare rejects its INT_MIN conversion
                inLo[k] = f >= 0 && f <= n - 1;
                inHi[k] = f >= -1 && f <= n - 2;
                idx[k] = inLo[k] || inHi[k] ? (int) f : 0;
            }
        }
    }
}
