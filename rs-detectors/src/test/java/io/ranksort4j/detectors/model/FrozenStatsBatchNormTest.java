package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FrozenStatsBatchNormTest {
    private static final int SIZE = 64;

    private static ComputationGraph tiny(boolean normEval) {
        ComputationGraph g = DetectorNetwork.build(SIZE, SIZE, 3, 1, new BackboneParams(18, 8, -1, "", normEval), new NeckParams(8, 3),
                new HeadParams(1, 8, 0.01, "none", 32, false, false), false, new InjectedLoss(), 7, DataType.DOUBLE, false).graph();
        // running statistics far from a batch's own, so using the wrong ones shows
        Nd4j.getRandom().setSeed(11);
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            if (e.getKey().endsWith("_mean")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).subi(0.5));
            } else if (e.getKey().endsWith("_var")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).addi(0.5));
            } else if (e.getKey().endsWith("_gamma")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).addi(0.5));
            }
        }
        return g;
    }

    @Test
    void trainingForwardUsesTheRunningStatisticsAndBackwardMatchesFiniteDifferences() {
        ComputationGraph g = tiny(true);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, SIZE, SIZE);
        assertThat(g.outputSingle(true, x).sub(g.outputSingle(false, x)).amaxNumber().doubleValue()).isZero();
        assertThat(tiny(false).outputSingle(true, x).sub(g.outputSingle(false, x)).amaxNumber().doubleValue())
                .as("plain batch norm in training mode normalises with the batch's statistics").isGreaterThan(1e-3);

        long width = g.outputSingle(false, x).size(1);
        WeightedOutputLoss w = WeightedOutputLoss.random(2, width);
        w.inject(g);
        INDArray before = g.params().dup();
        g.setInputs(x);
        g.setLabels(Nd4j.zeros(DataType.DOUBLE, 2, width));
        g.computeGradientAndScore();
        assertThat(g.params().equals(before)).as("forward and backward leave the running statistics alone").isTrue();
        Map<String, INDArray> grads = g.gradient().gradientForVariable();

        double worst = 0;
        int checked = 0;
        for (String key : new String[] {"stem_W", "stem_bn_gamma", "stem_bn_beta", "layer1_0_c1_W", "layer2_0_c2_bn_gamma",
                "layer2_0_down_bn_beta", "layer4_1_c2_bn_gamma", "layer4_1_c2_W"}) {
            INDArray p = g.getParam(key);
            INDArray flat = p.reshape(p.length());
            for (long k = 0; k < Math.min(3, p.length()); k++) {
                double v = flat.getDouble(k);
                double h = 1e-5;
                flat.putScalar(k, v + h);
                double up = w.of(g, x);
                flat.putScalar(k, v - h);
                double down = w.of(g, x);
                flat.putScalar(k, v);
                double fd = (up - down) / (2 * h);
                double an = grads.get(key).reshape(p.length()).getDouble(k);
                worst = Math.max(worst, Math.abs(fd - an) / Math.max(1, Math.abs(fd)));
                checked++;
            }
        }
        assertThat(checked).isEqualTo(24);
        assertThat(worst).isLessThan(1e-6);
        for (var e : grads.entrySet()) {
            if (TrainableParams.isRunningStatistic(e.getKey()) && (e.getKey().startsWith("stem") || e.getKey().startsWith("layer"))) {
                assertThat(e.getValue().amaxNumber().doubleValue()).as(e.getKey()).isZero();
            }
        }
    }
}
