package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.model.TrainableParams.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SgdTest {

    /**
     * The step as separate whole-vector ND4J ops over 0/1 masks (how it was written before the spans): the definition
     * the one-pass update must equal bit for bit, clipping and weight decay on and off.
     */
    private static double definitional(INDArray params, INDArray grad, INDArray velocity, TrainableParams spans, double momentum,
                                       double weightDecay, double gradClip, double lr) {
        INDArray trained = spans.trainedMask(params.dataType());
        INDArray stats = spans.statisticsMask(params.dataType());
        params.subi(grad.mul(stats));
        INDArray g = grad.muli(trained);
        double norm = g.norm2Number().doubleValue();
        if (gradClip > 0 && norm > gradClip) {
            g.muli(gradClip / (norm + 1e-6));
        }
        if (weightDecay > 0) {
            g.addi(params.mul(trained).muli(weightDecay));
        }
        velocity.muli(momentum).addi(g);
        params.subi(velocity.mul(lr));
        return norm;
    }

    private static TrainableParams randomSpans(Random r, int n) {
        List<Span> trained = new ArrayList<>();
        List<Span> stats = new ArrayList<>();
        int at = 0;
        while (at < n) {
            int len = 1 + r.nextInt(Math.max(1, n / 8));
            int end = Math.min(n, at + len);
            switch (r.nextInt(3)) {
                case 0 -> trained.add(new Span(at, end));
                case 1 -> stats.add(new Span(at, end));
                default -> { } // frozen
            }
            at = end;
        }
        return new TrainableParams(n, trained, stats);
    }

    @Test
    void oneStepEqualsTheMaskedElementWiseDefinitionBitForBit() {
        Random r = new Random(7);
        for (int trial = 0; trial < 40; trial++) {
            DataType type = DataType.FLOAT;
            int n = 1 + r.nextInt(300_000);
            TrainableParams spans = randomSpans(r, n);
            double decay = trial % 4 < 2 ? 1e-4 : 0;
            double clip = trial % 3 == 0 ? 0 : 0.5 + r.nextDouble() * 50;
            Nd4j.getRandom().setSeed(trial);
            INDArray params = Nd4j.randn(type, n);
            INDArray ref = params.dup();
            INDArray refVelocity = Nd4j.zeros(type, n);
            Sgd sgd = new Sgd(0.9, decay, clip, spans);
            for (int step = 0; step < 3; step++) {
                INDArray grad = Nd4j.randn(type, n).muli(1 + 10 * r.nextDouble());
                double lr = 0.001 + 0.02 * r.nextDouble();
                double want = definitional(ref, grad.dup(), refVelocity, spans, 0.9, decay, clip, lr);
                double got = sgd.step(params, grad, lr);
                assertThat(got).as("norm, trial %d", trial).isEqualTo(want);
                assertThat(params.equalsWithEps(ref, 0)).as("parameters, trial %d step %d (n %d)", trial, step, n).isTrue();
                assertThat(sgd.velocity().equalsWithEps(refVelocity, 0)).as("momentum, trial %d", trial).isTrue();
            }
        }
    }

    @Test
    void aNonFiniteGradientChangesNothing() {
        TrainableParams spans = new TrainableParams(10, List.of(new Span(0, 10)), List.of());
        INDArray params = Nd4j.linspace(DataType.FLOAT, 1, 10, 1);
        INDArray before = params.dup();
        INDArray grad = Nd4j.ones(DataType.FLOAT, 10);
        grad.putScalar(3, Float.NaN);
        assertThat(new Sgd(0.9, 1e-4, 35, spans).step(params, grad, 0.1)).isNaN();
        assertThat(params).isEqualTo(before);
    }

    @Test
    void spansMergeAndSubtract() {
        TrainableParams t = new TrainableParams(100, List.of(new Span(10, 20), new Span(20, 30), new Span(50, 60)), List.of())
                .untrained(new Span(15, 55));
        assertThat(t.trained()).containsExactly(new Span(10, 15), new Span(55, 60));
        assertThat(t.untrainedSpans()).containsExactly(new Span(0, 10), new Span(15, 55), new Span(60, 100));
        assertThat(t.withTrained(new Span(15, 55)).trained()).containsExactly(new Span(10, 60));
    }
}
