package io.ranksort4j.detectors.roi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.File;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RoiAlign against a slow definitional version, against its own forward (adjoint and finite differences), and
 * against torchvision.ops.roi_align (golden file from src/test/python/export_roi_align.py).
 */
class RoiAlignTest {

    /** n, c, h, w, k, outH, outW, spatial scale (image = map / scale). */
    private record Shape(int n, int c, int h, int w, int k, int outH, int outW, float scale) {}

    private static final Shape[] SHAPES = {
        new Shape(1, 3, 10, 12, 9, 7, 7, 0.5f),
        new Shape(2, 4, 17, 9, 11, 3, 5, 0.25f),
        new Shape(3, 2, 5, 5, 7, 2, 2, 1f),
        new Shape(1, 1, 1, 6, 5, 4, 3, 1f),
    };

    private static float[] gaussian(Random r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** RoIs in image coordinates, reaching up to 30 % beyond each side of the image; one tiny, one inverted. */
    private static float[] rois(Random r, Shape s) {
        float imgW = s.w / s.scale;
        float imgH = s.h / s.scale;
        float[] b = new float[s.k * 5];
        for (int i = 0; i < s.k; i++) {
            float x1 = (float) ((r.nextDouble() * 1.6 - 0.3) * imgW);
            float y1 = (float) ((r.nextDouble() * 1.6 - 0.3) * imgH);
            float bw = (float) (r.nextDouble() * 0.8 * imgW + 0.1);
            float bh = (float) (r.nextDouble() * 0.8 * imgH + 0.1);
            if (i == 0) {
                bw = bh = 0.3f;
            } else if (i == 1) {
                bw = -bw;
                bh = -bh;
            }
            b[i * 5] = r.nextInt(s.n);
            b[i * 5 + 1] = x1;
            b[i * 5 + 2] = y1;
            b[i * 5 + 3] = x1 + bw;
            b[i * 5 + 4] = y1 + bh;
        }
        return b;
    }

    /** Bilinear value at (y, x) of one plane: zero beyond one cell outside the map, the edge value within it. */
    private static double sample(float[] f, int off, int h, int w, double y, double x) {
        if (y < -1 || y > h || x < -1 || x > w) {
            return 0;
        }
        y = Math.min(Math.max(y, 0), h - 1);
        x = Math.min(Math.max(x, 0), w - 1);
        int y0 = (int) Math.floor(y);
        int x0 = (int) Math.floor(x);
        int y1 = Math.min(y0 + 1, h - 1);
        int x1 = Math.min(x0 + 1, w - 1);
        double ly = y - y0;
        double lx = x - x0;
        return (1 - ly) * (1 - lx) * f[off + y0 * w + x0] + (1 - ly) * lx * f[off + y0 * w + x1] + ly * (1 - lx) * f[off + y1 * w + x0]
                + ly * lx * f[off + y1 * w + x1];
    }

    /** The definition, in double: each bin is the mean of a grid of bilinear samples at the centres of its sub-cells. */
    private static double[] definitional(RoiAlign.Params p, float[] f, Shape s, float[] rois) {
        double[] out = new double[s.k * s.c * p.outputH() * p.outputW()];
        double off = p.aligned() ? 0.5 : 0;
        for (int r = 0; r < s.k; r++) {
            int b = (int) rois[r * 5];
            double x1 = rois[r * 5 + 1] * (double) p.spatialScale() - off;
            double y1 = rois[r * 5 + 2] * (double) p.spatialScale() - off;
            double rw = rois[r * 5 + 3] * (double) p.spatialScale() - off - x1;
            double rh = rois[r * 5 + 4] * (double) p.spatialScale() - off - y1;
            if (!p.aligned()) {
                rw = Math.max(rw, 1);
                rh = Math.max(rh, 1);
            }
            double bh = rh / p.outputH();
            double bw = rw / p.outputW();
            int gh = p.samplingRatio() > 0 ? p.samplingRatio() : (int) Math.ceil(bh);
            int gw = p.samplingRatio() > 0 ? p.samplingRatio() : (int) Math.ceil(bw);
            for (int ch = 0; ch < s.c; ch++) {
                for (int ph = 0; ph < p.outputH(); ph++) {
                    for (int pw = 0; pw < p.outputW(); pw++) {
                        double sum = 0;
                        for (int iy = 0; iy < gh; iy++) {
                            for (int ix = 0; ix < gw; ix++) {
                                double y = y1 + bh * (ph + (iy + 0.5) / gh);
                                double x = x1 + bw * (pw + (ix + 0.5) / gw);
                                sum += sample(f, (b * s.c + ch) * s.h * s.w, s.h, s.w, y, x);
                            }
                        }
                        out[((r * s.c + ch) * p.outputH() + ph) * p.outputW() + pw] = gh > 0 && gw > 0 ? sum / (gh * gw) : 0;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void forwardEqualsTheDefinitionOnRandomInputs() {
        Random r = new Random(1);
        for (Shape s : SHAPES) {
            float[] f = gaussian(r, s.n * s.c * s.h * s.w);
            float[] rois = rois(r, s);
            for (boolean aligned : new boolean[] {true, false}) {
                for (int ratio : new int[] {0, 2}) {
                    RoiAlign.Params p = new RoiAlign.Params(s.outH, s.outW, s.scale, ratio, aligned);
                    float[] got = new RoiAlign(p).forward(f, s.n, s.c, s.h, s.w, rois, s.k);
                    double[] want = definitional(p, f, s, rois);
                    assertThat(got).hasSize(want.length);
                    for (int i = 0; i < want.length; i++) {
                        assertThat((double) got[i]).as("%s %s #%d", s, p, i).isCloseTo(want[i], within(1e-5));
                    }
                }
            }
        }
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += (double) a[i] * b[i];
        }
        return d;
    }

    @Test
    void backwardIsTheAdjointOfForward() {
        Random r = new Random(2);
        for (Shape s : SHAPES) {
            float[] x = gaussian(r, s.n * s.c * s.h * s.w);
            float[] rois = rois(r, s);
            float[] g = gaussian(r, s.k * s.c * s.outH * s.outW);
            for (boolean aligned : new boolean[] {true, false}) {
                for (int ratio : new int[] {0, 2}) {
                    RoiAlign op = new RoiAlign(new RoiAlign.Params(s.outH, s.outW, s.scale, ratio, aligned));
                    double lhs = dot(op.forward(x, s.n, s.c, s.h, s.w, rois, s.k), g);
                    double rhs = dot(x, op.backward(g, s.n, s.c, s.h, s.w, rois, s.k));
                    assertThat(rhs).as("%s %s", s, op.params()).isCloseTo(lhs, within(1e-4 * Math.max(1, Math.abs(lhs))));
                }
            }
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random r = new Random(3);
        Shape s = SHAPES[1];
        float[] x = gaussian(r, s.n * s.c * s.h * s.w);
        float[] rois = rois(r, s);
        float[] g = gaussian(r, s.k * s.c * s.outH * s.outW);
        RoiAlign op = new RoiAlign(new RoiAlign.Params(s.outH, s.outW, s.scale, 0, true));
        float[] grad = op.backward(g, s.n, s.c, s.h, s.w, rois, s.k);
        int checked = 0;
        for (int i = 0; i < x.length && checked < 12; i += 7) {
            // the loss is linear in x, so a large step costs no truncation error and keeps float rounding small
            float eps = 0.5f;
            float keep = x[i];
            x[i] = keep + eps;
            double up = dot(op.forward(x, s.n, s.c, s.h, s.w, rois, s.k), g);
            x[i] = keep - eps;
            double down = dot(op.forward(x, s.n, s.c, s.h, s.w, rois, s.k), g);
            x[i] = keep;
            assertThat((double) grad[i]).as("entry %d", i).isCloseTo((up - down) / (2 * eps), within(1e-4));
            checked += grad[i] != 0 ? 1 : 0;
        }
        assertThat(checked).isEqualTo(12);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() throws Exception {
        Random r = new Random(4);
        Shape s = new Shape(2, 19, 20, 24, 40, 7, 7, 0.5f);
        float[] x = gaussian(r, s.n * s.c * s.h * s.w);
        float[] rois = rois(r, s);
        float[] g = gaussian(r, s.k * s.c * s.outH * s.outW);
        RoiAlign op = new RoiAlign(new RoiAlign.Params(s.outH, s.outW, s.scale, 0, true));
        float[] fwd = op.forward(x, s.n, s.c, s.h, s.w, rois, s.k);
        float[] bwd = op.backward(g, s.n, s.c, s.h, s.w, rois, s.k);
        ForkJoinPool one = new ForkJoinPool(1);
        try {
            assertThat(one.submit(() -> op.forward(x, s.n, s.c, s.h, s.w, rois, s.k)).get()).containsExactly(fwd);
            assertThat(one.submit(() -> op.backward(g, s.n, s.c, s.h, s.w, rois, s.k)).get()).containsExactly(bwd);
        } finally {
            one.shutdown();
        }
    }

    @Test
    void aBatchIndexOutsideTheBatchIsRejected() {
        RoiAlign op = new RoiAlign(new RoiAlign.Params(2, 2, 1f, 0, true));
        assertThatThrownBy(() -> op.forward(new float[16], 1, 1, 4, 4, new float[] {1, 0, 0, 2, 2}, 1)).hasMessageContaining("batch index");
        assertThatThrownBy(() -> new RoiAlign.Params(0, 7, 1f, 0, true)).isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] flat(Map<String, INDArray> m, String key) {
        INDArray a = m.get(key).castTo(DataType.FLOAT);
        return Nd4j.toFlattened('c', a).toFloatVector();
    }

    @Test
    void matchesTorchvisionForwardAndGradient() throws Exception {
        Map<String, INDArray> golden = Nd4j.createFromNpzFile(new File(getClass().getResource("/golden/roi_align.npz").toURI()));
        float[] meta = flat(golden, "meta");
        int n = (int) meta[0], c = (int) meta[1], h = (int) meta[2], w = (int) meta[3], k = (int) meta[4], oh = (int) meta[5], ow = (int) meta[6];
        float[] x = flat(golden, "features");
        float[] rois = flat(golden, "rois");
        float[] weights = flat(golden, "weights");
        for (int ratio : new int[] {2, 0}) {
            for (boolean aligned : new boolean[] {true, false}) {
                String tag = "s" + ratio + "_a" + (aligned ? 1 : 0);
                RoiAlign op = new RoiAlign(new RoiAlign.Params(oh, ow, meta[7], ratio, aligned));
                float[] out = op.forward(x, n, c, h, w, rois, k);
                float[] grad = op.backward(weights, n, c, h, w, rois, k);
                double eo = assertClose(out, flat(golden, "out_" + tag), "out_" + tag);
                double eg = assertClose(grad, flat(golden, "grad_" + tag), "grad_" + tag);
                System.out.printf("roi_align golden %s: max |Δ| forward %.3g, gradient %.3g%n", tag, eo, eg);
            }
        }
    }

    private static double assertClose(float[] got, float[] want, String what) {
        assertThat(got).as(what).hasSize(want.length);
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            worst = Math.max(worst, d);
            assertThat(d).as("%s #%d: %s vs torchvision %s", what, i, got[i], want[i]).isLessThanOrEqualTo(1e-5 + 1e-4 * Math.abs(want[i]));
        }
        return worst;
    }
}
