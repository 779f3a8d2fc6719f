package io.ranksort4j.detectors.roi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.box.L1Loss;
import io.ranksort4j.core.loss.pointwise.CrossEntropyLoss;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.assign.RandomSampler;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The baseline RoI recipe (softmax cross-entropy over C + 1, L1 on deltas) against a definitional version. */
class SampledRoiLossTest {
    private static final int C = 3;
    private static final double[] STDS = {0.1, 0.1, 0.2, 0.2};

    private static SampledRoiLoss recipe(int num, double posFraction) {
        return new SampledRoiLoss(new MaxIouAssigner(0.5, 0.5, 0.5, false), new RandomSampler(num, posFraction), new DeltaXywhCoder(STDS),
                new CrossEntropyLoss(C + 1, 1.0), new L1Loss(1.0), true);
    }

    /** Images with GTs and proposals, about half of them jittered GTs; C + 1 logits and 4C deltas per RoI. */
    private static List<RoiTrainInputs> batch(long seed) {
        Random rnd = new Random(seed);
        List<RoiTrainInputs> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int g = 1 + rnd.nextInt(3);
            float[] gt = new float[4 * g];
            int[] labels = new int[g];
            for (int j = 0; j < g; j++) {
                float x = rnd.nextFloat() * 50;
                float y = rnd.nextFloat() * 50;
                gt[4 * j] = x;
                gt[4 * j + 1] = y;
                gt[4 * j + 2] = x + 8 + rnd.nextFloat() * 40;
                gt[4 * j + 3] = y + 8 + rnd.nextFloat() * 40;
                labels[j] = rnd.nextInt(C);
            }
            int r = 20 + rnd.nextInt(5);
            float[] props = new float[4 * r];
            for (int a = 0; a < r; a++) {
                int j = rnd.nextInt(g);
                float w = gt[4 * j + 2] - gt[4 * j];
                float h = gt[4 * j + 3] - gt[4 * j + 1];
                float jitter = rnd.nextBoolean() ? 0.15f : 0.8f;
                props[4 * a] = gt[4 * j] + jitter * w * (float) rnd.nextGaussian();
                props[4 * a + 1] = gt[4 * j + 1] + jitter * h * (float) rnd.nextGaussian();
                props[4 * a + 2] = props[4 * a] + w * (0.7f + 0.6f * rnd.nextFloat());
                props[4 * a + 3] = props[4 * a + 1] + h * (0.7f + 0.6f * rnd.nextFloat());
            }
            int n = r + g;
            float[] logits = new float[n * (C + 1)];
            float[] deltas = new float[n * 4 * C];
            for (int q = 0; q < logits.length; q++) {
                logits[q] = (float) rnd.nextGaussian();
            }
            for (int q = 0; q < deltas.length; q++) {
                deltas[q] = (float) (0.5 * rnd.nextGaussian());
            }
            out.add(new RoiTrainInputs(props, logits, deltas, new GroundTruth(gt, labels)));
        }
        return out;
    }

    private static double iou(float[] a, int i, float[] b, int j) {
        double iw = Math.min(a[4 * i + 2], b[4 * j + 2]) - Math.max(a[4 * i], b[4 * j]);
        double ih = Math.min(a[4 * i + 3], b[4 * j + 3]) - Math.max(a[4 * i + 1], b[4 * j + 1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        double ua = (a[4 * i + 2] - a[4 * i]) * (a[4 * i + 3] - a[4 * i + 1]);
        double ub = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return inter / (ua + ub - inter);
    }

    @Test
    void trainingEveryRoiEqualsTheDefinition() {
        List<RoiTrainInputs> b = batch(7);
        RoiRecipe.Output o = recipe(100_000, 1.0).computeWithPositives(b);

        // definition: a RoI's label is its best GT's (IoU ≥ 0.5) or background; GT RoIs are their own GT's;
        // CE is the mean over all RoIs, L1 on the GT class's deltas summed and divided by the number of RoIs
        int rows = b.stream().mapToInt(RoiTrainInputs::rois).sum();
        double ce = 0;
        double l1 = 0;
        int positives = 0;
        List<float[]> wantLogitGrad = new ArrayList<>();
        List<float[]> wantDeltaGrad = new ArrayList<>();
        for (RoiTrainInputs im : b) {
            float[] rois = im.roiBoxes();
            float[] gt = im.gt().boxes();
            float[] gl = new float[im.logits().length];
            float[] gd = new float[im.deltas().length];
            int r = im.proposals().length / 4;
            for (int a = 0; a < im.rois(); a++) {
                int best = -1;
                double bestIou = 0.5 - 1e-12;
                if (a >= r) {
                    best = a - r;
                } else {
                    for (int j = 0; j < im.gt().count(); j++) {
                        double v = iou(rois, a, gt, j);
                        if (v > bestIou) {
                            best = j;
                            bestIou = v;
                        }
                    }
                }
                int label = best < 0 ? C : im.gt().labels()[best];
                double z = 0;
                for (int c = 0; c <= C; c++) {
                    z += Math.exp(im.logits()[a * (C + 1) + c]);
                }
                ce += Math.log(z) - im.logits()[a * (C + 1) + label];
                for (int c = 0; c <= C; c++) {
                    gl[a * (C + 1) + c] = (float) ((Math.exp(im.logits()[a * (C + 1) + c]) / z - (c == label ? 1 : 0)) / rows);
                }
                if (best >= 0) {
                    positives++;
                    double pw = rois[4 * a + 2] - rois[4 * a];
                    double ph = rois[4 * a + 3] - rois[4 * a + 1];
                    double gw = gt[4 * best + 2] - gt[4 * best];
                    double gh = gt[4 * best + 3] - gt[4 * best + 1];
                    double[] target = {
                        ((gt[4 * best] + 0.5 * gw) - (rois[4 * a] + 0.5 * pw)) / pw / STDS[0],
                        ((gt[4 * best + 1] + 0.5 * gh) - (rois[4 * a + 1] + 0.5 * ph)) / ph / STDS[1],
                        Math.log(gw / pw) / STDS[2], Math.log(gh / ph) / STDS[3]};
                    for (int k = 0; k < 4; k++) {
                        double d = im.deltas()[(a * C + label) * 4 + k] - target[k];
                        l1 += Math.abs(d);
                        gd[(a * C + label) * 4 + k] = (float) (Math.signum(d) / rows);
                    }
                }
            }
            wantLogitGrad.add(gl);
            wantDeltaGrad.add(gd);
        }
        assertThat(positives).isGreaterThan(4).isLessThan(rows - 4);
        assertThat(o.result().terms().get("loss_cls")).isCloseTo(ce / rows, within(1e-6));
        assertThat(o.result().terms().get("loss_bbox")).isCloseTo(l1 / rows, within(1e-5));
        assertThat(o.result().loss()).isCloseTo((ce + l1) / rows, within(1e-5));
        assertThat(o.positives()).hasSize(positives);
        for (int i = 0; i < b.size(); i++) {
            HeadGradients g = o.result().grads().get(i);
            for (int q = 0; q < g.logits().length; q++) {
                assertThat(g.logits()[q]).as("logit %d of image %d", q, i).isCloseTo(wantLogitGrad.get(i)[q], within(1e-7f));
            }
            assertThat(g.deltas()).containsExactly(wantDeltaGrad.get(i), within(1e-7f));
        }
    }

    @Test
    void aSmallSampleTrainsOnlyItsRoisAndKeepsTheQuarterOfPositives() {
        List<RoiTrainInputs> b = batch(11);
        RoiRecipe.Output o = recipe(8, 0.25).computeWithPositives(b);
        int trainedRows = 0;
        for (int i = 0; i < b.size(); i++) {
            float[] g = o.result().grads().get(i).logits();
            int trained = 0;
            for (int a = 0; a < b.get(i).rois(); a++) {
                boolean any = false;
                for (int c = 0; c <= C; c++) {
                    any |= g[a * (C + 1) + c] != 0;
                }
                trained += any ? 1 : 0;
            }
            assertThat(trained).as("image %d", i).isEqualTo(8);
            trainedRows += trained;
        }
        assertThat(o.positives()).hasSize(4); // 2 per image
        // the batch's sample is the mean's denominator: one row's gradient sums to zero, each entry below 1 / 16
        assertThat(trainedRows).isEqualTo(16);
        for (float v : o.result().grads().get(0).logits()) {
            assertThat(Math.abs(v)).isLessThanOrEqualTo(1f / 16 + 1e-7f);
        }
        // the same inputs draw the same sample
        assertThat(recipe(8, 0.25).compute(b).loss()).isEqualTo(o.result().loss());
    }
}
