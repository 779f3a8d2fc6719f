package io.ranksort4j.detectors.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.box.L1Loss;
import io.ranksort4j.core.loss.pointwise.BceLoss;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.assign.RandomSampler;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** mmdet's baseline RPN recipe: BCE and L1 over a sample of anchors, normalised by the batch's sample. */
class SampledRpnLossTest {
    private final Anchors anchors = RpnTestData.anchors();
    private final MaxIouAssigner assigner = new MaxIouAssigner(0.7, 0.3, 0.3, true);

    private SampledRpnLoss recipe(int num, double weight) {
        return new SampledRpnLoss(assigner, new RandomSampler(num, 0.5), new DeltaXywhCoder(1, 1, 1, 1), new BceLoss(1.0), new L1Loss(1.0), weight);
    }

    @Test
    void everyAnchorSampledEqualsBceAndL1OverTheAssignedAnchors() {
        Random rnd = new Random(3);
        List<GroundTruth> gts = RpnTestData.gts(rnd);
        List<HeadOutputs> outs = RpnTestData.outputs(rnd, anchors, 2, 0);
        double w = 0.5;
        HeadLossResult r = recipe(1_000_000, w).compute(outs, gts, anchors);

        int counted = 0;
        double bce = 0;
        double l1 = 0;
        int pos = 0;
        for (int i = 0; i < 2; i++) {
            int[] g = assigner.assign(anchors, gts.get(i).boxes()).gtIndex();
            float[] b = anchors.boxes();
            float[] gt = gts.get(i).boxes();
            for (int a = 0; a < g.length; a++) {
                if (g[a] == Assignment.IGNORE) {
                    continue;
                }
                counted++;
                double x = outs.get(i).logits()[a];
                double t = g[a] > 0 ? 1 : 0;
                double s = 1 / (1 + Math.exp(-x));
                bce -= t * Math.log(s) + (1 - t) * Math.log(1 - s);
                if (g[a] > 0) {
                    pos++;
                    int j = g[a] - 1;
                    double pw = b[4 * a + 2] - b[4 * a];
                    double ph = b[4 * a + 3] - b[4 * a + 1];
                    double gw = gt[4 * j + 2] - gt[4 * j];
                    double gh = gt[4 * j + 3] - gt[4 * j + 1];
                    double[] target = {((gt[4 * j] + gw / 2) - (b[4 * a] + pw / 2)) / pw, ((gt[4 * j + 1] + gh / 2) - (b[4 * a + 1] + ph / 2)) / ph,
                        Math.log(gw / pw), Math.log(gh / ph)};
                    for (int k = 0; k < 4; k++) {
                        double d = outs.get(i).deltas()[4 * a + k] - target[k];
                        l1 += Math.abs(d);
                        assertThat((double) Math.signum(r.grads().get(i).deltas()[4 * a + k])).isEqualTo(Math.signum(d));
                    }
                }
            }
        }
        assertThat(pos).isPositive();
        assertThat(r.terms().get("num_pos")).isEqualTo((double) pos);
        assertThat(r.terms().get("loss_rpn_cls")).isCloseTo(w * bce / counted, within(1e-6));
        assertThat(r.terms().get("loss_rpn_bbox")).isCloseTo(w * l1 / counted, within(1e-5));
        assertThat(r.loss()).isCloseTo(w * (bce + l1) / counted, within(1e-5));
        // gradients: (σ(x) − t) w / n on the trained anchors, ± w / n on the positives' deltas
        for (int i = 0; i < 2; i++) {
            int[] g = assigner.assign(anchors, gts.get(i).boxes()).gtIndex();
            for (int a = 0; a < g.length; a++) {
                double x = outs.get(i).logits()[a];
                double want = g[a] == Assignment.IGNORE ? 0 : w * (1 / (1 + Math.exp(-x)) - (g[a] > 0 ? 1 : 0)) / counted;
                assertThat((double) r.grads().get(i).logits()[a]).isCloseTo(want, within(1e-7));
                for (int k = 0; k < 4; k++) {
                    double d = Math.abs(r.grads().get(i).deltas()[4 * a + k]);
                    assertThat(d).isCloseTo(g[a] > 0 ? w / counted : 0, within(1e-7));
                }
            }
        }
    }

    @Test
    void eachImageTrainsItsSampleOnly() {
        Random rnd = new Random(5);
        HeadLossResult r = recipe(64, 1.0).compute(RpnTestData.outputs(rnd, anchors, 2, 0), RpnTestData.gts(rnd), anchors);
        for (int i = 0; i < 2; i++) {
            float[] g = r.grads().get(i).logits();
            int trained = 0;
            for (float v : g) {
                trained += v != 0 ? 1 : 0;
            }
            assertThat(trained).as("image %d", i).isEqualTo(64);
        }
        assertThat(r.terms().get("num_pos")).isBetween(1.0, 64.0);
    }
}
