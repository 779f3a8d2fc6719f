package io.ranksort4j.detectors.roi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.core.loss.box.GiouLoss;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.core.loss.rank.RankSortReference;
import io.ranksort4j.core.loss.rank.RankSortResult;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RS-Faster R-CNN's RoI recipe against a definitional version, finite differences and its edge cases. */
class RsRoiLossTest {
    private static final int C = 3;
    private static final double[] STDS = {0.1, 0.1, 0.2, 0.2};
    private static final double MAX_RATIO = Math.abs(Math.log(16.0 / 1000));

    private static float[] randomBox(Random rnd) {
        float x = rnd.nextFloat() * 50;
        float y = rnd.nextFloat() * 50;
        return new float[] {x, y, x + 8 + rnd.nextFloat() * 40, y + 8 + rnd.nextFloat() * 40};
    }

    /** 2 images, a few GTs, ~20 proposals of which about half are jittered GTs so that positives occur. */
    private static List<RoiTrainInputs> batch(long seed) {
        Random rnd = new Random(seed);
        List<RoiTrainInputs> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int g = 1 + rnd.nextInt(3);
            float[] gt = new float[4 * g];
            int[] labels = new int[g];
            for (int j = 0; j < g; j++) {
                System.arraycopy(randomBox(rnd), 0, gt, 4 * j, 4);
                labels[j] = rnd.nextInt(C);
            }
            int r = 18 + rnd.nextInt(5);
            float[] props = new float[4 * r];
            for (int a = 0; a < r; a++) {
                float[] b = randomBox(rnd);
                if (rnd.nextBoolean()) {
                    int j = rnd.nextInt(g);
                    float w = gt[4 * j + 2] - gt[4 * j];
                    float h = gt[4 * j + 3] - gt[4 * j + 1];
                    b = new float[] {gt[4 * j] + 0.2f * w * (float) rnd.nextGaussian(), gt[4 * j + 1] + 0.2f * h * (float) rnd.nextGaussian(), 0, 0};
                    b[2] = b[0] + w * (0.8f + 0.4f * rnd.nextFloat());
                    b[3] = b[1] + h * (0.8f + 0.4f * rnd.nextFloat());
                }
                System.arraycopy(b, 0, props, 4 * a, 4);
            }
            out.add(inputs(rnd, props, new GroundTruth(gt, labels), 0.3));
        }
        return out;
    }

    private static RoiTrainInputs inputs(Random rnd, float[] props, GroundTruth gt, double deltaScale) {
        int n = props.length / 4 + gt.count();
        float[] logits = new float[n * C];
        float[] deltas = new float[n * 4 * C];
        for (int q = 0; q < logits.length; q++) {
            logits[q] = (float) (rnd.nextGaussian() - 1);
        }
        for (int q = 0; q < deltas.length; q++) {
            deltas[q] = (float) (deltaScale * rnd.nextGaussian());
        }
        return new RoiTrainInputs(props, logits, deltas, gt);
    }

    private static double iou(double[] a, double[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        double union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
        return inter / Math.max(union, 1e-6);
    }

    private static double[] box(float[] f, int i) {
        return new double[] {f[4 * i], f[4 * i + 1], f[4 * i + 2], f[4 * i + 3]};
    }

    private static double clampRatio(double v) {
        return Math.max(-MAX_RATIO, Math.min(MAX_RATIO, v));
    }

    /** DeltaXYWH decode of deltas d[4k..] about roi. */
    private static double[] decode(double[] roi, float[] d, int k) {
        double pw = roi[2] - roi[0];
        double ph = roi[3] - roi[1];
        double cx = roi[0] + 0.5 * pw + d[4 * k] * STDS[0] * pw;
        double cy = roi[1] + 0.5 * ph + d[4 * k + 1] * STDS[1] * ph;
        double w = pw * Math.exp(clampRatio(d[4 * k + 2] * STDS[2]));
        double h = ph * Math.exp(clampRatio(d[4 * k + 3] * STDS[3]));
        return new double[] {cx - 0.5 * w, cy - 0.5 * h, cx + 0.5 * w, cy + 0.5 * h};
    }

    /** 1 − GIoU and its gradient w.r.t. p, derived by hand (ties and empty overlaps do not occur here). */
    private static double giou(double[] p, double[] t, double[] grad) {
        double iw = Math.min(p[2], t[2]) - Math.max(p[0], t[0]);
        double ih = Math.min(p[3], t[3]) - Math.max(p[1], t[1]);
        boolean overlap = iw > 0 && ih > 0;
        double inter = overlap ? iw * ih : 0;
        double pw = p[2] - p[0];
        double ph = p[3] - p[1];
        double u = pw * ph + (t[2] - t[0]) * (t[3] - t[1]) - inter;
        double ew = Math.max(p[2], t[2]) - Math.min(p[0], t[0]);
        double eh = Math.max(p[3], t[3]) - Math.min(p[1], t[1]);
        double e = ew * eh;
        double[] dI = new double[4];
        if (overlap) {
            dI[0] = p[0] > t[0] ? -ih : 0;
            dI[1] = p[1] > t[1] ? -iw : 0;
            dI[2] = p[2] < t[2] ? ih : 0;
            dI[3] = p[3] < t[3] ? iw : 0;
        }
        double[] dA = {-ph, -pw, ph, pw};
        double[] dE = {p[0] < t[0] ? -eh : 0, p[1] < t[1] ? -ew : 0, p[2] > t[2] ? eh : 0, p[3] > t[3] ? ew : 0};
        for (int c = 0; c < 4; c++) {
            double dU = dA[c] - dI[c];
            // L = 2 − I/U − U/E
            grad[c] = -dI[c] / u + inter * dU / (u * u) - dU / e + u * dE[c] / (e * e);
        }
        return 2 - inter / u - u / e;
    }

    /** The recipe written out directly: terms {L_R, L_S, L_box·λ, λ, P}, logit and delta gradients per image. */
    private record Reference(double[] terms, List<double[]> logitGrad, List<double[]> deltaGrad) {}

    private static Reference reference(List<RoiTrainInputs> images) {
        List<Double> logits = new ArrayList<>();
        List<int[]> pos = new ArrayList<>(); // image, roi, gt, flat index
        int flat = 0;
        for (int i = 0; i < images.size(); i++) {
            RoiTrainInputs im = images.get(i);
            int r = im.proposals().length / 4;
            int g = im.gt().count();
            for (int a = 0; a < r + g; a++) {
                for (int c = 0; c < C; c++) {
                    logits.add((double) im.logits()[a * C + c]);
                }
                int best = -1;
                if (a < r) {
                    double max = -1;
                    for (int j = 0; j < g; j++) {
                        double v = iou(box(im.proposals(), a), box(im.gt().boxes(), j));
                        if (v > max) {
                            max = v;
                            best = j;
                        }
                    }
                    best = max >= 0.5 ? best : -1;
                } else {
                    best = a - r;
                }
                if (best >= 0) {
                    pos.add(new int[] {i, a, best, flat + a * C + im.gt().labels()[best]});
                }
            }
            flat += (r + g) * C;
        }
        double[] s = logits.stream().mapToDouble(Double::doubleValue).toArray();
        double[] t = new double[s.length];
        int n = pos.size();
        double[][] pred = new double[n][];
        double[] w = new double[n];
        double wSum = 0;
        for (int k = 0; k < n; k++) {
            int[] p = pos.get(k);
            RoiTrainInputs im = images.get(p[0]);
            double[] roi = box(im.roiBoxes(), p[1]);
            pred[k] = decode(roi, im.deltas(), p[1] * C + im.gt().labels()[p[2]]);
            t[p[3]] = iou(pred[k], box(im.gt().boxes(), p[2]));
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < C; c++) {
                max = Math.max(max, im.logits()[p[1] * C + c]);
            }
            w[k] = 1 / (1 + Math.exp(-max));
            wSum += w[k];
        }
        RankSortResult rs = new RankSortReference(0.5, 1e-10).compute(s, t);
        double norm = wSum < 1e-12 ? 1 : wSum;
        double lBox = 0;
        double[][] boxGrad = new double[n][4];
        for (int k = 0; k < n; k++) {
            int[] p = pos.get(k);
            lBox += w[k] * giou(pred[k], box(images.get(p[0]).gt().boxes(), p[2]), boxGrad[k]) / norm;
        }
        double lambda = n > 0 && lBox > 0 ? rs.loss() / lBox : 0;
        List<double[]> logitGrad = new ArrayList<>();
        List<double[]> deltaGrad = new ArrayList<>();
        int from = 0;
        for (RoiTrainInputs im : images) {
            logitGrad.add(java.util.Arrays.copyOfRange(rs.grad(), from, from + im.logits().length));
            deltaGrad.add(new double[im.deltas().length]);
            from += im.logits().length;
        }
        for (int k = 0; k < n; k++) {
            int[] p = pos.get(k);
            RoiTrainInputs im = images.get(p[0]);
            double[] roi = box(im.roiBoxes(), p[1]);
            double pw = roi[2] - roi[0];
            double ph = roi[3] - roi[1];
            int q = 4 * (p[1] * C + im.gt().labels()[p[2]]);
            double scale = lambda * w[k] / norm;
            double[] g = boxGrad[k];
            double wDec = pred[k][2] - pred[k][0];
            double hDec = pred[k][3] - pred[k][1];
            double[] out = deltaGrad.get(p[0]);
            // x1,x2 = cx ∓ w/2 with cx = px + dx·σx·pw and w = pw·exp(dw·σw)
            out[q] = scale * (g[0] + g[2]) * STDS[0] * pw;
            out[q + 1] = scale * (g[1] + g[3]) * STDS[1] * ph;
            out[q + 2] = Math.abs(im.deltas()[q + 2] * STDS[2]) < MAX_RATIO ? scale * 0.5 * (g[2] - g[0]) * wDec * STDS[2] : 0;
            out[q + 3] = Math.abs(im.deltas()[q + 3] * STDS[3]) < MAX_RATIO ? scale * 0.5 * (g[3] - g[1]) * hDec * STDS[3] : 0;
        }
        return new Reference(new double[] {rs.rankingLoss(), rs.sortingLoss(), lambda * lBox, lambda, n}, logitGrad, deltaGrad);
    }

    @Test
    void equalsTheDefinitionalRecipe() {
        for (long seed = 0; seed < 20; seed++) {
            List<RoiTrainInputs> b = batch(seed);
            HeadLossResult r = RsRoiLoss.standard(STDS).compute(b);
            Reference ref = reference(b);
            String[] names = {"loss_ranking", "loss_sorting", "loss_bbox", "lambda", "num_pos"};
            for (int q = 0; q < names.length; q++) {
                assertThat(r.terms().get(names[q])).as("seed %d %s", seed, names[q]).isCloseTo(ref.terms()[q], within(1e-6));
            }
            assertThat(ref.terms()[4]).as("seed %d has proposals among the positives", seed).isGreaterThan(b.get(0).gt().count() + b.get(1).gt().count());
            assertThat(r.loss()).isCloseTo(ref.terms()[0] + ref.terms()[1] + ref.terms()[2], within(1e-6));
            for (int i = 0; i < b.size(); i++) {
                float[] gl = r.grads().get(i).logits();
                float[] gd = r.grads().get(i).deltas();
                assertThat(gl).hasSameSizeAs(b.get(i).logits());
                assertThat(gd).hasSameSizeAs(b.get(i).deltas());
                for (int q = 0; q < gl.length; q++) {
                    assertThat((double) gl[q]).as("seed %d image %d logit %d", seed, i, q).isCloseTo(ref.logitGrad().get(i)[q], within(1e-6));
                }
                for (int q = 0; q < gd.length; q++) {
                    assertThat((double) gd[q]).as("seed %d image %d delta %d", seed, i, q).isCloseTo(ref.deltaGrad().get(i)[q], within(1e-6));
                }
            }
        }
    }

    /** λ·L_box with λ frozen at {@code lambda}, for deltas {@code d} of image i. */
    private static double balancedBox(List<RoiTrainInputs> b, int i, float[] d, double lambda) {
        List<RoiTrainInputs> moved = new ArrayList<>(b);
        RoiTrainInputs im = b.get(i);
        moved.set(i, new RoiTrainInputs(im.proposals(), im.logits(), d, im.gt()));
        HeadLossResult r = RsRoiLoss.standard(STDS).compute(moved);
        return lambda * r.terms().get("loss_bbox") / r.terms().get("lambda");
    }

    @Test
    void deltaGradientsMatchFiniteDifferencesWithLambdaFixed() {
        double h = 1e-3;
        int compared = 0;
        for (long seed = 100; seed < 104; seed++) {
            List<RoiTrainInputs> b = batch(seed);
            HeadLossResult r = RsRoiLoss.standard(STDS).compute(b);
            double lambda = r.terms().get("lambda");
            for (int i = 0; i < b.size(); i++) {
                float[] d = b.get(i).deltas();
                double f0 = balancedBox(b, i, d, lambda);
                for (int q = 0; q < d.length; q++) {
                    float[] up = d.clone();
                    float[] down = d.clone();
                    up[q] += (float) h;
                    down[q] -= (float) h;
                    double fu = balancedBox(b, i, up, lambda);
                    double fd = balancedBox(b, i, down, lambda);
                    double right = (fu - f0) / ((double) up[q] - d[q]);
                    double left = (f0 - fd) / ((double) d[q] - down[q]);
                    double num = (fu - fd) / ((double) up[q] - down[q]);
                    double tol = 2e-3 * Math.max(1, Math.abs(num));
                    // a GIoU kink (min / max of coordinates) within the step: the analytic value is one subgradient
                    if (Math.abs(right - left) > 5 * tol) {
                        continue;
                    }
                    compared += r.grads().get(i).deltas()[q] != 0 ? 1 : 0;
                    assertThat((double) r.grads().get(i).deltas()[q]).as("seed %d image %d delta %d", seed, i, q).isCloseTo(num, within(tol));
                }
            }
        }
        assertThat(compared).isGreaterThan(100);
    }

    /** Passes RS through, remembering the targets it was given. */
    private static final class Capture implements ClassificationLoss {
        private final RankSortLoss rs = new RankSortLoss(0.5, 1e-10);
        float[] targets;

        @Override
        public ClassificationLossResult compute(float[] logits, float[] targets) {
            this.targets = targets.clone();
            return rs.compute(logits, targets);
        }
    }

    @Test
    void gtProposalsArePositivesWithTheIouOfTheirDecodedBox() {
        Random rnd = new Random(5);
        GroundTruth gt = new GroundTruth(new float[] {10, 12, 40, 50, 30, 5, 70, 30}, new int[] {2, 0});
        // far from both GTs: the only positives are the GTs themselves
        float[] props = {100, 100, 120, 130, 150, 90, 190, 140, 0, 80, 20, 100};
        RoiTrainInputs im = inputs(rnd, props, gt, 0.3);
        Capture cap = new Capture();
        HeadLossResult r = new RsRoiLoss(new MaxIouAssigner(0.5, 0.5, 0.5, false), new DeltaXywhCoder(STDS), cap,
                new GiouLoss(1e-6, 1.0, true)).compute(List.of(im));
        assertThat(r.terms().get("num_pos")).isEqualTo(2.0);
        for (int j = 0; j < 2; j++) {
            int row = 3 + j;
            int label = gt.labels()[j];
            double expected = iou(decode(box(gt.boxes(), j), im.deltas(), row * C + label), box(gt.boxes(), j));
            assertThat(expected).isBetween(0.3, 0.999);
            for (int c = 0; c < C; c++) {
                assertThat((double) cap.targets[row * C + c]).as("GT %d class %d", j, c).isCloseTo(c == label ? expected : 0, within(1e-6));
            }
        }
        for (int q = 0; q < 3 * C; q++) {
            assertThat(cap.targets[q]).isZero();
        }
        // undisturbed deltas reproduce the GT exactly
        RoiTrainInputs exact = new RoiTrainInputs(props, im.logits(), new float[im.deltas().length], gt);
        new RsRoiLoss(new MaxIouAssigner(0.5, 0.5, 0.5, false), new DeltaXywhCoder(STDS), cap, new GiouLoss(1e-6, 1.0, true))
                .compute(List.of(exact));
        assertThat((double) cap.targets[3 * C + 2]).isCloseTo(1, within(1e-6));
        assertThat((double) cap.targets[4 * C]).isCloseTo(1, within(1e-6));
    }

    private static void assertAllZero(HeadLossResult r) {
        assertThat(r.loss()).isZero();
        assertThat(r.terms().values()).allSatisfy(v -> assertThat(v).isNotNaN());
        assertThat(r.terms().get("loss_bbox")).isZero();
        for (var g : r.grads()) {
            for (float v : g.logits()) {
                assertThat(v).isZero();
            }
            for (float v : g.deltas()) {
                assertThat(v).isZero();
            }
        }
    }

    @Test
    void noPositivesGiveZeroLossAndGradients() {
        Random rnd = new Random(3);
        GroundTruth none = new GroundTruth(new float[0], new int[0]);
        List<RoiTrainInputs> b = List.of(inputs(rnd, new float[] {0, 0, 10, 10, 5, 5, 30, 40}, none, 0.3),
                inputs(rnd, new float[] {1, 2, 3, 4}, none, 0.3));
        HeadLossResult r = RsRoiLoss.standard(STDS).compute(b);
        assertAllZero(r);
        assertThat(r.terms().get("num_pos")).isZero();
    }

    @Test
    void positivesWhoseBoxesMissTheirGtAreNegativesForRsAndLeaveNoLoss() {
        Random rnd = new Random(4);
        GroundTruth gt = new GroundTruth(new float[] {10, 10, 30, 30}, new int[] {1});
        RoiTrainInputs im = inputs(rnd, new float[] {11, 10, 30, 31}, gt, 0);
        // shift every decoded box 5 widths to the right: IoU 0, so RS sees no positive and λ = 0
        for (int q = 0; q < im.deltas().length; q += 4) {
            im.deltas()[q] = 50;
        }
        HeadLossResult r = RsRoiLoss.standard(STDS).compute(List.of(im));
        assertAllZero(r);
        assertThat(r.terms().get("num_pos")).isEqualTo(2.0);
    }
}
