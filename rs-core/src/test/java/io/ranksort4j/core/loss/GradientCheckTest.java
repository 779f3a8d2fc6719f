package io.ranksort4j.core.loss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.box.DiceLoss;
import io.ranksort4j.core.loss.box.GiouLoss;
import io.ranksort4j.core.loss.box.L1Loss;
import io.ranksort4j.core.loss.box.SmoothL1Loss;
import io.ranksort4j.core.loss.pointwise.BceLoss;
import io.ranksort4j.core.loss.pointwise.CrossEntropyLoss;
import io.ranksort4j.core.loss.pointwise.FocalLoss;
import io.ranksort4j.core.loss.pointwise.QualityFocalLoss;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The analytic gradients of the autodiff-style losses equal central finite differences of their values. */
class GradientCheckTest {
    private static final double H = 1e-3;

    /** Central difference of a float-input loss at index i (float steps, so the tolerance is loose). */
    private static double numeric(float[] x, int i, ToDoubleFunction<float[]> f) {
        float[] a = x.clone();
        float[] b = x.clone();
        a[i] += (float) H;
        b[i] -= (float) H;
        return (f.applyAsDouble(a) - f.applyAsDouble(b)) / ((double) a[i] - b[i]);
    }

    private static void checkClassification(ClassificationLoss loss, float[] logits, float[] targets) {
        ClassificationLossResult r = loss.compute(logits, targets);
        for (int i = 0; i < logits.length; i++) {
            double num = numeric(logits, i, l -> loss.compute(l, targets).loss());
            assertThat((double) r.grad()[i]).as("grad[%d]", i).isCloseTo(num, within(2e-3 * Math.max(1, Math.abs(num))));
        }
    }

    /**
     * Box losses are piecewise smooth (min / max in the intersection and enclosure, |x| in L1): where a kink lies
     * within a step of the point, the one-sided slopes disagree and the analytic value is only one subgradient, so
     * such coordinates are skipped rather than compared with a central difference that straddles the kink.
     */
    private static void checkBox(BoxLoss loss, float[] pred, float[] target, float[] w) {
        BoxLossResult r = loss.compute(pred, target, w, 3.0);
        ToDoubleFunction<float[]> f = p -> loss.compute(p, target, w, 3.0).loss();
        double f0 = f.applyAsDouble(pred);
        for (int i = 0; i < pred.length; i++) {
            float[] a = pred.clone();
            float[] b = pred.clone();
            a[i] += (float) H;
            b[i] -= (float) H;
            double right = (f.applyAsDouble(a) - f0) / ((double) a[i] - pred[i]);
            double left = (f0 - f.applyAsDouble(b)) / ((double) pred[i] - b[i]);
            double num = numeric(pred, i, f);
            double tol = 2e-3 * Math.max(1, Math.abs(num));
            if (Math.abs(right - left) > 5 * tol) {
                continue;
            }
            assertThat((double) r.grad()[i]).as("grad[%d]", i).isCloseTo(num, within(tol));
        }
    }

    @Property(tries = 50)
    void pointwiseClassificationGradientsMatchFiniteDifferences(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random rnd = new Random(seed);
        int n = 12;
        float[] logits = new float[n];
        float[] hard = new float[n];
        float[] soft = new float[n];
        for (int i = 0; i < n; i++) {
            logits[i] = (float) (rnd.nextGaussian() * 3);
            hard[i] = i == 0 ? 1 : rnd.nextInt(4) == 0 ? 1 : rnd.nextInt(6) == 0 ? -1 : 0;
            soft[i] = i == 0 ? 0.7f : rnd.nextInt(3) == 0 ? (float) (0.1 + 0.9 * rnd.nextDouble()) : 0;
        }
        checkClassification(new FocalLoss(0.25, 2.0, 1.0), logits, hard);
        checkClassification(new BceLoss(1.0), logits, soft);
        checkClassification(new QualityFocalLoss(2.0, 1.0), logits, soft);
        float[] ce = new float[n];
        for (int r = 0; r < n / 4; r++) {
            ce[r * 4 + rnd.nextInt(4)] = 1;
        }
        checkClassification(new CrossEntropyLoss(4, 1.0), logits, ce);
    }

    @Property(tries = 100)
    void boxGradientsMatchFiniteDifferences(@ForAll @LongRange(min = 0, max = 1_000_000) long seed) {
        Random rnd = new Random(seed);
        int n = 3;
        float[] pred = new float[4 * n];
        float[] target = new float[4 * n];
        float[] w = new float[n];
        for (int b = 0; b < n; b++) {
            for (float[] box : new float[][] {pred, target}) {
                float x = (float) (rnd.nextDouble() * 50);
                float y = (float) (rnd.nextDouble() * 50);
                box[4 * b] = x;
                box[4 * b + 1] = y;
                box[4 * b + 2] = x + 5 + (float) (rnd.nextDouble() * 40);
                box[4 * b + 3] = y + 5 + (float) (rnd.nextDouble() * 40);
            }
            w[b] = (float) rnd.nextDouble();
        }
        checkBox(new GiouLoss(1e-6, 2.0, true), pred, target, w);
        checkBox(new L1Loss(1.0), pred, target, w);
        checkBox(new SmoothL1Loss(1.0, 1.0), pred, target, w);
        // IoU loss is flat (zero gradient) for disjoint boxes, where finite differences agree too.
        checkBox(new GiouLoss(1e-6, 1.0, false), pred, target, w);
    }

    @Test
    void giouOfIdenticalBoxesIsZeroAndOfDisjointBoxesExceedsOne() {
        GiouLoss giou = new GiouLoss(1e-6, 1.0, true);
        float[] a = {0, 0, 10, 10};
        assertThat(giou.compute(a, a, new float[] {1}, 1).loss()).isCloseTo(0, within(1e-7));
        // Disjoint: IoU 0, enclose 20x10 = 200, union 200 → GIoU 0 → loss 1; farther apart → more.
        assertThat(giou.compute(a, new float[] {10, 0, 20, 10}, new float[] {1}, 1).loss()).isCloseTo(1.0, within(1e-7));
        assertThat(giou.compute(a, new float[] {30, 0, 40, 10}, new float[] {1}, 1).loss()).isCloseTo(1 + (400 - 200) / 400.0, within(1e-7));
    }

    @Test
    void diceGradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        float[] logits = new float[2 * 9];
        float[] t = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) rnd.nextGaussian();
            t[i] = rnd.nextBoolean() ? 1 : 0;
        }
        DiceLoss dice = new DiceLoss(1e-5, 1.0);
        float[] w = {0.5f, 2f};
        DiceLoss.Result r = dice.compute(logits, t, 9, w, 2.0);
        for (int i = 0; i < logits.length; i++) {
            double num = numeric(logits, i, l -> dice.compute(l, t, 9, w, 2.0).loss());
            assertThat((double) r.grad()[i]).isCloseTo(num, within(1e-3));
        }
    }
}
