package io.ranksort4j.detectors.roi;

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

    // Channels per backward task: enough to amortise the per-RoI sample table, few enough to feed every core.
    private static final int CHANNEL_BLOCK = 8;

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
            for (int ch = 0; ch < c; ch++) {
                int in = (b * c + ch) * h * w;
                int o = (r * c + ch) * plane;
                int i = 0;
                for (int bin = 0; bin < plane; bin++) {
                    float v = 0f;
                    for (int e = 0; e < s.perBin; e++, i++) {
                        if (s.p1[i] >= 0) {
                            v += s.w1[i] * features[in + s.p1[i]] + s.w2[i] * features[in + s.p2[i]] + s.w3[i] * features[in + s.p3[i]]
                                    + s.w4[i] * features[in + s.p4[i]];
                        }
                    }
                    out[o + bin] = v / s.forwardCount;
                }
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
        int blocks = (c + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        IntStream.range(0, blocks).parallel().forEach(blk -> {
            int c0 = blk * CHANNEL_BLOCK;
            int c1 = Math.min(c, c0 + CHANNEL_BLOCK);
            for (int r = 0; r < k; r++) {
                Samples s = Samples.of(p, rois, r, h, w);
                int b = (int) rois[r * 5];
                for (int ch = c0; ch < c1; ch++) {
                    int gi = (b * c + ch) * h * w;
                    int go = (r * c + ch) * plane;
                    int i = 0;
                    for (int bin = 0; bin < plane; bin++) {
                        float g = gradOut[go + bin];
                        for (int e = 0; e < s.perBin; e++, i++) {
                            if (s.p1[i] >= 0) {
                                // (g·w)/count, not g·(w/count): the rounding torchvision does
                                grad[gi + s.p1[i]] += g * s.w1[i] / s.backwardCount;
                                grad[gi + s.p2[i]] += g * s.w2[i] / s.backwardCount;
                                grad[gi + s.p3[i]] += g * s.w3[i] / s.backwardCount;
                                grad[gi + s.p4[i]] += g * s.w4[i] / s.backwardCount;
                            }
                        }
                    }
                }
            }
        });
        return grad;
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
