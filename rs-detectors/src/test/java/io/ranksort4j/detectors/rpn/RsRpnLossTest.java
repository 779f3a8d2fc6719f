package io.ranksort4j.detectors.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.rank.RankSortReference;
import io.ranksort4j.core.loss.rank.RankSortResult;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RS-Faster R-CNN's RPN recipe against a definitional version on real-anchor boxes, and finite differences. */
class RsRpnLossTest {
    private static final double[] STDS = {0.1, 0.1, 0.2, 0.2};
    private final Anchors anchors = RpnTestData.anchors();


    private static double[] box(float[] f, int i) {
        return new double[] {f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3]};
    }

    private static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        return inter / Math.max((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter, 1e-6);
    }

    private static double giouLoss(double[] p, double[] t) {
        double iw = Math.min(p[2], t[2]) - Math.max(p[0], t[0]);
        double ih = Math.min(p[3], t[3]) - Math.max(p[1], t[1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        double u = (p[2] - p[0]) * (p[3] - p[1]) + (t[2] - t[0]) * (t[3] - t[1]) - inter;
        double e = (Math.max(p[2], t[2]) - Math.min(p[0], t[0])) * (Math.max(p[3], t[3]) - Math.min(p[1], t[1]));
        return 1 - inter / u + (e - u) / e;
    }

    /**
     * bbox_overlaps as torch computes it, float32 with one rounding per operation: the assignment compares these IoUs
     * for equality (a GT's max), and anchors of one shape that all hold a GT tie only in float32, not in double.
     */
    private static float iou32(float[] a, int i, float[] b, int j) {
        float iw = Math.max(Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]), 0f);
        float ih = Math.max(Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]), 0f);
        float inter = iw * ih;
        float areaA = (a[4 * i + 2] - a[4 * i]) * (a[4 * i + 3] - a[4 * i + 1]);
        float areaB = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return inter / Math.max(areaB + areaA - inter, 1e-6f);
    }

    /** Decodes about the real anchor (no clamp is reached with these deltas). */
    private static double[] decode(double[] a, float[] d, int k) {
        double aw = a[2] - a[0];
        double ah = a[3] - a[1];
        double cx = a[0] + 0.5 * aw + d[4 * k] * STDS[0] * aw;
        double cy = a[1] + 0.5 * ah + d[4 * k + 1] * STDS[1] * ah;
        double w = aw * Math.exp(d[4 * k + 2] * STDS[2]);
        double h = ah * Math.exp(d[4 * k + 3] * STDS[3]);
        return new double[] {cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2};
    }

    /** The slow assignment of mmdet's MaxIoUAssigner with match_low_quality and gt_max_assign_all: −1, 0 or GT+1. */
    private int[] assign(float[] gt) {
        int n = anchors.count();
        int g = gt.length / 4;
        int[] out = new int[n];
        double[][] ov = new double[n][g];
        double[] gtMax = new double[g];
        for (int a = 0; a < n; a++) {
            double max = -1;
            for (int j = 0; j < g; j++) {
                ov[a][j] = iou32(gt, j, anchors.boxes(), a);
                gtMax[j] = Math.max(gtMax[j], ov[a][j]);
                if (ov[a][j] > max) {
                    max = ov[a][j];
                    out[a] = j + 1;
                }
            }
            out[a] = max >= 0.7 ? out[a] : max < 0.3 ? 0 : -1;
        }
        for (int j = 0; j < g; j++) {
            for (int a = 0; a < n && gtMax[j] >= 0.3; a++) {
                if (ov[a][j] == gtMax[j]) {
                    out[a] = j + 1;
                }
            }
        }
        return out;
    }

    @Test
    void equalsTheDefinitionalRecipeOnRealAnchorBoxes() {
        for (long seed = 0; seed < 10; seed++) {
            Random rnd = new Random(seed);
            List<GroundTruth> gts = RpnTestData.gts(rnd);
            List<HeadOutputs> outs = RpnTestData.outputs(rnd, anchors, 2, -1);
            HeadLossResult r = RsRpnLoss.standard().compute(outs, gts, anchors);
            int n = anchors.count();
            double[] s = new double[2 * n];
            double[] t = new double[2 * n];
            double lBox = 0;
            double wSum = 0;
            int p = 0;
            int ignored = 0;
            for (int i = 0; i < 2; i++) {
                int[] g = assign(gts.get(i).boxes());
                for (int a = 0; a < n; a++) {
                    s[i * n + a] = outs.get(i).logits()[a];
                    t[i * n + a] = g[a] < 0 ? -1 : 0;
                    ignored += g[a] < 0 ? 1 : 0;
                    if (g[a] > 0) {
                        double[] pred = decode(box(anchors.boxes(), a), outs.get(i).deltas(), a);
                        double[] gt = box(gts.get(i).boxes(), g[a] - 1);
                        t[i * n + a] = iou(pred, gt);
                        double w = 1 / (1 + Math.exp(-s[i * n + a]));
                        lBox += w * giouLoss(pred, gt);
                        wSum += w;
                        p++;
                    }
                }
            }
            lBox /= wSum;
            RankSortResult rs = new RankSortReference(0.5, 1e-10).compute(s, t);
            double lambda = rs.loss() / lBox;
            assertThat(p).isPositive();
            assertThat(ignored).isPositive();
            assertThat(r.terms().get("num_pos")).isEqualTo((double) p);
            // float boxes and the unit-anchor frame: agreement to float precision, not 1e-6
            assertThat(r.terms().get("loss_rpn_ranking")).as("seed %d", seed).isCloseTo(0.2 * rs.rankingLoss(), within(1e-5));
            assertThat(r.terms().get("loss_rpn_sorting")).as("seed %d", seed).isCloseTo(0.2 * rs.sortingLoss(), within(1e-5));
            assertThat(r.terms().get("lambda")).as("seed %d", seed).isCloseTo(lambda, within(1e-4 * lambda));
            assertThat(r.terms().get("loss_rpn_bbox")).isCloseTo(0.2 * rs.loss(), within(1e-5));
            assertThat(r.loss()).isCloseTo(0.4 * rs.loss(), within(1e-5));
            for (int i = 0; i < 2; i++) {
                for (int a = 0; a < n; a++) {
                    assertThat((double) r.grads().get(i).logits()[a]).as("seed %d logit %d/%d", seed, i, a)
                            .isCloseTo(0.2 * rs.grad()[i * n + a], within(1e-5));
                }
            }
        }
    }

    @Test
    void deltaGradientsMatchFiniteDifferencesWithLambdaFixed() {
        Random rnd = new Random(42);
        List<GroundTruth> gts = RpnTestData.gts(rnd);
        List<HeadOutputs> outs = RpnTestData.outputs(rnd, anchors, 2, -1);
        HeadLossResult r = RsRpnLoss.standard().compute(outs, gts, anchors);
        double lambda = r.terms().get("lambda");
        double h = 1e-3;
        int compared = 0;
        for (int i = 0; i < 2; i++) {
            float[] d = outs.get(i).deltas();
            final int img = i;
            java.util.function.Function<float[], Double> f = x -> {
                List<HeadOutputs> moved = new ArrayList<>(outs);
                moved.set(img, new HeadOutputs(outs.get(img).logits(), x, null));
                HeadLossResult m = RsRpnLoss.standard().compute(moved, gts, anchors);
                return lambda * m.terms().get("loss_rpn_bbox") / m.terms().get("lambda");
            };
            double f0 = f.apply(d);
            for (int q = 0; q < d.length; q++) {
                if (r.grads().get(i).deltas()[q] == 0) {
                    continue; // not a positive's delta: checked below by the count of non-zero slots
                }
                float[] up = d.clone();
                float[] down = d.clone();
                up[q] += (float) h;
                down[q] -= (float) h;
                double fu = f.apply(up);
                double fd = f.apply(down);
                double right = (fu - f0) / ((double) up[q] - d[q]);
                double left = (f0 - fd) / ((double) d[q] - down[q]);
                double num = (fu - fd) / ((double) up[q] - down[q]);
                double tol = 2e-3 * Math.max(1, Math.abs(num));
                if (Math.abs(right - left) > 5 * tol) {
                    continue;
                }
                compared++;
                assertThat((double) r.grads().get(i).deltas()[q]).as("image %d delta %d", i, q).isCloseTo(num, within(tol));
            }
        }
        assertThat(compared).isGreaterThan(4 * (int) (double) r.terms().get("num_pos") - 10);
    }

    @Test
    void noGtGivesZeroLossAndGradients() {
        Random rnd = new Random(1);
        List<GroundTruth> none = List.of(new GroundTruth(new float[0], new int[0]), new GroundTruth(new float[0], new int[0]));
        HeadLossResult r = RsRpnLoss.standard().compute(RpnTestData.outputs(rnd, anchors, 2, -1), none, anchors);
        assertThat(r.loss()).isZero();
        assertThat(r.terms().values()).allSatisfy(v -> assertThat(v).isNotNaN().isZero());
        for (var g : r.grads()) {
            for (float v : g.logits()) {
                assertThat(v).isZero();
            }
            for (float v : g.deltas()) {
                assertThat(v).isZero();
            }
        }
    }
}
