package io.ranksort4j.detectors.roi;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * RoIAlign (Mask R-CNN) on NCHW float maps, forward and backward, with the float arithmetic of torchvision's
 * CPU kernel ({@code torchvision.ops.roi_align}, which mmcv's {@code aligned=True} matches).
 *
 * <p>Both directions are deterministic: forward runs RoIs in parallel (each writes its own output slab) and
 * backward runs blocks of channels in parallel (each owns its gradient planes and adds in torchvision's order:
 * RoI, output row, output column, sample row, sample column), so results do not depend on the thread count.
 */
public final class RoiAlign {

    /**
     * The operator's settings.
     *
     * @param outputH pooled height
     * @param outputW pooled width
     * @param spatialScale feature-map cells per image pixel (1 / stride)
     * @param samplingRatio sample points per bin side; 0 = adaptive, ceil(roi_size / output_size) per RoI
     * @param aligned shift RoI corners by -0.5 cell (pixel-centre model); false = legacy Detectron behaviour
     */
    public record Params(int outputH, int outputW, float spatialScale, int samplingRatio, boolean aligned) {
        /** Rejects shapes and scales the kernel cannot use. */
        public Params {
            if (outputH <= 0 || outputW <= 0) {
                throw new IllegalArgumentException("output size must be positive, got " + outputH + "×" + outputW);
            }
            if (!(spatialScale > 0) || Float.isInfinite(spatialScale)) {
                throw new IllegalArgumentException("spatialScale must be positive and finite, got " + spatialScale);
            }
            if (samplingRatio < 0) {
                throw new IllegalArgumentException("samplingRatio must be ≥ 0 (0 = adaptive), got " + samplingRatio);
            }
        }
    }

    private final Params p;

    /** An operator with these settings. */
    public RoiAlign(Params params) {
        this.p = params;
    }

    /** The settings. */
    public Params params() {
        return p;
    }

    /**
     * Pools every RoI.
     *
     * @param features n×c×h×w, row-major
     * @param rois k×5: batch index, x1, y1, x2, y2 in image coordinates
     * @return k×c×outputH×outputW
     */
    public float[] forward(float[] features, int n, int c, int h, int w, float[] rois, int k) {
        check(features, n, c, h, w, rois, k);
        int plane = p.outputH * p.outputW;
        float[] out = new float[k * c * plane];
        IntStream.range(0, k).parallel().forEach(r -> {
            Samples s = Samples.of(p, rois, r, h, w);
            int b = (int) rois[r * 5];
            int ch = 0;
            for (; ch + 4 <= c; ch += 4) {
                pool4(s, features, (b * c + ch) * h * w, h * w, out, (r * c + ch) * plane, plane);
            }
            for (; ch < c; ch++) {
                pool1(s, features, (b * c + ch) * h * w, out, (r * c + ch) * plane, plane);
            }
        });
        return out;
    }

    /**
     * The gradient of a loss w.r.t. the features, given its gradient w.r.t. {@link #forward}'s output.
     *
     * @param gradOut k×c×outputH×outputW
     * @return n×c×h×w
     */
    public float[] backward(float[] gradOut, int n, int c, int h, int w, float[] rois, int k) {
        check(null, n, c, h, w, rois, k);
        int plane = p.outputH * p.outputW;
        if (gradOut.length != k * c * plane) {
            throw new IllegalArgumentException("gradOut has " + gradOut.length + " values, expected k·c·outH·outW = " + k * c * plane);
        }
        float[] grad = new float[n * c * h * w];
        // Each task rebuilds every RoI's sample table, so blocks are as wide as still gives ~4 tasks per core;
        // the width never changes a result because each channel's adds stay in one task, in order.
        int block = Math.min(32, Math.max(4, c / (4 * ForkJoinPool.getCommonPoolParallelism()))) & ~3;
        int blocks = (c + block - 1) / block;
        IntStream.range(0, blocks).parallel().forEach(blk -> {
            int c0 = blk * block;
            int c1 = Math.min(c, c0 + block);
            for (int r = 0; r < k; r++) {
                Samples s = Samples.of(p, rois, r, h, w);
                int b = (int) rois[r * 5];
                int ch = c0;
                for (; ch + 4 <= c1; ch += 4) {
                    scatter4(s, gradOut, (r * c + ch) * plane, plane, grad, (b * c + ch) * h * w, h * w);
                }
                for (; ch < c1; ch++) {
                    scatter1(s, gradOut, (r * c + ch) * plane, plane, grad, (b * c + ch) * h * w);
                }
            }
        });
        return grad;
    }

    // One channel; the sum runs in torchvision's order (sample by sample, four corners left to right).
    private static void pool1(Samples s, float[] f, int in, float[] out, int o, int plane) {
        int i = 0;
        for (int bin = 0; bin < plane; bin++) {
            float v = 0f;
            for (int e = 0; e < s.perBin; e++, i++) {
                if (s.p1[i] >= 0) {
                    v += s.w1[i] * f[in + s.p1[i]] + s.w2[i] * f[in + s.p2[i]] + s.w3[i] * f[in + s.p3[i]] + s.w4[i] * f[in + s.p4[i]];
                }
            }
            out[o + bin] = v / s.forwardCount;
        }
    }

    // Four channels per pass: the sample table is read once for four independent sums, each in pool1's order.
    private static void pool4(Samples s, float[] f, int in, int stride, float[] out, int o, int plane) {
        int i = 0;
        for (int bin = 0; bin < plane; bin++) {
            float v0 = 0f;
            float v1 = 0f;
            float v2 = 0f;
            float v3 = 0f;
            for (int e = 0; e < s.perBin; e++, i++) {
                int a = s.p1[i];
                if (a >= 0) {
                    int b = s.p2[i];
                    int c = s.p3[i];
                    int d = s.p4[i];
                    float x1 = s.w1[i];
                    float x2 = s.w2[i];
                    float x3 = s.w3[i];
                    float x4 = s.w4[i];
                    int j = in;
                    v0 += x1 * f[j + a] + x2 * f[j + b] + x3 * f[j + c] + x4 * f[j + d];
                    j += stride;
                    v1 += x1 * f[j + a] + x2 * f[j + b] + x3 * f[j + c] + x4 * f[j + d];
                    j += stride;
                    v2 += x1 * f[j + a] + x2 * f[j + b] + x3 * f[j + c] + x4 * f[j + d];
                    j += stride;
                    v3 += x1 * f[j + a] + x2 * f[j + b] + x3 * f[j + c] + x4 * f[j + d];
                }
            }
            out[o + bin] = v0 / s.forwardCount;
            out[o + plane + bin] = v1 / s.forwardCount;
            out[o + 2 * plane + bin] = v2 / s.forwardCount;
            out[o + 3 * plane + bin] = v3 / s.forwardCount;
        }
    }

    // One channel; (g·w)/count, not g·(w/count), and corner by corner: the rounding and order torchvision has.
    private static void scatter1(Samples s, float[] gradOut, int go, int plane, float[] grad, int gi) {
        float n = s.backwardCount;
        int i = 0;
        for (int bin = 0; bin < plane; bin++) {
            float g = gradOut[go + bin];
            for (int e = 0; e < s.perBin; e++, i++) {
                if (s.p1[i] >= 0) {
                    grad[gi + s.p1[i]] += g * s.w1[i] / n;
                    grad[gi + s.p2[i]] += g * s.w2[i] / n;
                    grad[gi + s.p3[i]] += g * s.w3[i] / n;
                    grad[gi + s.p4[i]] += g * s.w4[i] / n;
                }
            }
        }
    }

    // Four channels per pass over the sample table; each channel's plane still receives scatter1's sequence of adds.
    private static void scatter4(Samples s, float[] gradOut, int go, int plane, float[] grad, int gi, int stride) {
        float n = s.backwardCount;
        int i = 0;
        for (int bin = 0; bin < plane; bin++) {
            float g0 = gradOut[go + bin];
            float g1 = gradOut[go + plane + bin];
            float g2 = gradOut[go + 2 * plane + bin];
            float g3 = gradOut[go + 3 * plane + bin];
            for (int e = 0; e < s.perBin; e++, i++) {
                int a = s.p1[i];
                if (a >= 0) {
                    int b = s.p2[i];
                    int c = s.p3[i];
                    int d = s.p4[i];
                    float x1 = s.w1[i];
                    float x2 = s.w2[i];
                    float x3 = s.w3[i];
                    float x4 = s.w4[i];
                    int j = gi;
                    grad[j + a] += g0 * x1 / n;
                    grad[j + b] += g0 * x2 / n;
                    grad[j + c] += g0 * x3 / n;
                    grad[j + d] += g0 * x4 / n;
                    j += stride;
                    grad[j + a] += g1 * x1 / n;
                    grad[j + b] += g1 * x2 / n;
                    grad[j + c] += g1 * x3 / n;
                    grad[j + d] += g1 * x4 / n;
                    j += stride;
                    grad[j + a] += g2 * x1 / n;
                    grad[j + b] += g2 * x2 / n;
                    grad[j + c] += g2 * x3 / n;
                    grad[j + d] += g2 * x4 / n;
                    j += stride;
                    grad[j + a] += g3 * x1 / n;
                    grad[j + b] += g3 * x2 / n;
                    grad[j + c] += g3 * x3 / n;
                    grad[j + d] += g3 * x4 / n;
                }
            }
        }
    }

    private void check(float[] features, int n, int c, int h, int w, float[] rois, int k) {
        if (n <= 0 || c <= 0 || h <= 0 || w <= 0 || k < 0) {
            throw new IllegalArgumentException("bad shape n=" + n + " c=" + c + " h=" + h + " w=" + w + " k=" + k);
        }
        if (features != null && features.length != n * c * h * w) {
            throw new IllegalArgumentException("features has " + features.length + " values, expected n·c·h·w = " + n * c * h * w);
        }
        if (rois.length < k * 5) {
            throw new IllegalArgumentException("rois has " + rois.length + " values, expected k·5 = " + k * 5);
        }
        for (int r = 0; r < k; r++) {
            // torchvision truncates the float index too; an index outside the batch would read another image's memory there
            int b = (int) rois[r * 5];
            if (b < 0 || b >= n) {
                throw new IllegalArgumentException("RoI " + r + " has batch index " + rois[r * 5] + ", batch size is " + n);
            }
        }
    }

    /**
     * One RoI's bilinear sample points in torchvision's pre_calc order (bin row, bin column, sample row, sample
     * column): four plane offsets and weights each; p1 = -1 marks a point outside [-1, H] × [-1, W], which adds nothing.
     */
    private static final class Samples {
        private static final ThreadLocal<Samples> LOCAL = ThreadLocal.withInitial(Samples::new);

        int perBin;
        float forwardCount;
        float backwardCount;
        int[] p1 = new int[0];
        int[] p2 = p1;
        int[] p3 = p1;
        int[] p4 = p1;
        float[] w1 = new float[0];
        float[] w2 = w1;
        float[] w3 = w1;
        float[] w4 = w1;

        // Reused per thread because adaptive sampling of a large RoI needs tens of thousands of points.
        static Samples of(Params p, float[] rois, int r, int height, int width) {
            Samples s = LOCAL.get();
            s.fill(p, rois, r, height, width);
            return s;
        }

        private void fill(Params p, float[] rois, int r, int height, int width) {
            float offset = p.aligned() ? 0.5f : 0f;
            float scale = p.spatialScale();
            float startW = rois[r * 5 + 1] * scale - offset;
            float startH = rois[r * 5 + 2] * scale - offset;
            float endW = rois[r * 5 + 3] * scale - offset;
            float endH = rois[r * 5 + 4] * scale - offset;
            float roiW = endW - startW;
            float roiH = endH - startH;
            if (!p.aligned()) {
                // legacy: a degenerate RoI still covers one cell
                roiW = Math.max(roiW, 1f);
                roiH = Math.max(roiH, 1f);
            }
            float binH = roiH / p.outputH();
            float binW = roiW / p.outputW();
            int gridH = p.samplingRatio() > 0 ? p.samplingRatio() : (int) Math.ceil(roiH / p.outputH());
            int gridW = p.samplingRatio() > 0 ? p.samplingRatio() : (int) Math.ceil(roiW / p.outputW());
            // torchvision: forward divides by max(count, 1), backward by count; both loops are empty when a grid side ≤ 0
            forwardCount = Math.max(gridH * gridW, 1);
            backwardCount = gridH * gridW;
            perBin = Math.max(gridH, 0) * Math.max(gridW, 0);
            int total = perBin * p.outputH() * p.outputW();
            ensure(total);
            int i = 0;
            for (int ph = 0; ph < p.outputH(); ph++) {
                for (int pw = 0; pw < p.outputW(); pw++) {
                    for (int iy = 0; iy < gridH; iy++) {
                        float yy = startH + ph * binH + (iy + .5f) * binH / gridH;
                        for (int ix = 0; ix < gridW; ix++, i++) {
                            float xx = startW + pw * binW + (ix + .5f) * binW / gridW;
                            point(i, yy, xx, height, width);
                        }
                    }
                }
            }
        }

        private void point(int i, float y, float x, int height, int width) {
            if (y < -1f || y > height || x < -1f || x > width) {
                p1[i] = -1;
                return;
            }
            if (y <= 0) {
                y = 0;
            }
            if (x <= 0) {
                x = 0;
            }
            int yLow = (int) y;
            int xLow = (int) x;
            int yHigh;
            int xHigh;
            if (yLow >= height - 1) {
                yHigh = yLow = height - 1;
                y = yLow;
            } else {
                yHigh = yLow + 1;
            }
            if (xLow >= width - 1) {
                xHigh = xLow = width - 1;
                x = xLow;
            } else {
                xHigh = xLow + 1;
            }
            float ly = y - yLow;
            float lx = x - xLow;
            float hy = 1f - ly;
            float hx = 1f - lx;
            w1[i] = hy * hx;
            w2[i] = hy * lx;
            w3[i] = ly * hx;
            w4[i] = ly * lx;
            p1[i] = yLow * width + xLow;
            p2[i] = yLow * width + xHigh;
            p3[i] = yHigh * width + xLow;
            p4[i] = yHigh * width + xHigh;
        }

        private void ensure(int n) {
            if (p1.length < n) {
                int cap = Math.max(n, p1.length * 2);
                p1 = new int[cap];
                p2 = new int[cap];
                p3 = new int[cap];
                p4 = new int[cap];
                w1 = new float[cap];
                w2 = new float[cap];
                w3 = new float[cap];
                w4 = new float[cap];
            }
        }
    }
}
