package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TiedLevelsTest {
    private static final int SIZE = 64;

    private static DetectorNetwork.Built tiny(boolean share) {
        return DetectorNetwork.build(SIZE, SIZE, 3, 2, new BackboneParams(18, 8, -1, "", false), new NeckParams(8, 3),
                new HeadParams(2, 8, 0.01, "group", 4, share, true), true, new InjectedLoss(), 7, DataType.DOUBLE, false);
    }

    @Test
    void everyParameterisedHeadLayerOfTheUpperLevelsCopiesLevelZerosAndEachLevelKeepsItsScale() {
        Map<String, String> tied = tiny(true).tied();
        assertThat(tied).containsEntry("l1_cls0", "l0_cls0").containsEntry("l2_reg1_gn", "l0_reg1_gn")
                .containsEntry("l2_cls_out", "l0_cls_out").containsEntry("l1_reg_out", "l0_reg_out").containsEntry("l2_ctr_out", "l0_ctr_out")
                .doesNotContainKeys("l1_scale", "l2_scale", "l0_cls0", "layer1_0_c1").hasSize(2 * 11);
        assertThat(tiny(false).tied()).isEmpty();
        // the RPN's three layers per level, P3–P6 copying P2's
        DetectorNetwork.Built trunk = DetectorNetwork.buildRcnnTrunk(SIZE, SIZE, 3, new BackboneParams(18, 8, -1, "", false), 8, 8, true,
                new InjectedLoss(), 1, DataType.FLOAT, false);
        assertThat(trunk.tied()).hasSize(4 * 3).containsEntry("rpn4_reg", "rpn0_reg").containsEntry("rpn1_conv", "rpn0_conv");
    }

    private static double loss(ComputationGraph g, TiedLevels tied, INDArray x, WeightedOutputLoss w) {
        tied.sync(g.params());
        return w.of(g, x);
    }

    /**
     * The definition of a shared weight's gradient: move level 0's weight, and with it every level's copy, and watch
     * the loss. Covers the tower convs, GroupNorm, the outputs and the per-level scales.
     */
    @Test
    void theSharedHeadsGradientIsTheDerivativeOfTheLossInTheOneWeightEveryLevelUses() {
        DetectorNetwork.Built built = tiny(true);
        ComputationGraph g = built.graph();
        TiedLevels tied = TiedLevels.of(g, built.tied());
        Nd4j.getRandom().setSeed(9);
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            if (e.getKey().endsWith("_gn_gamma") || e.getKey().endsWith("_scale_scale")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).addi(0.5));
            }
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, SIZE, SIZE);
        tied.sync(g.params());
        long width = g.outputSingle(false, x).size(1);
        WeightedOutputLoss w = WeightedOutputLoss.random(2, width);
        w.inject(g);
        g.setInputs(x);
        g.setLabels(Nd4j.zeros(DataType.DOUBLE, 2, width));
        g.computeGradientAndScore();
        tied.collect(g.gradient().gradient());
        Map<String, INDArray> grads = g.gradient().gradientForVariable();
        assertThat(grads.get("l2_cls0_W").norm2Number().doubleValue()).as("a copy's gradient is moved to level 0's").isZero();

        double worst = 0;
        int checked = 0;
        for (String key : new String[] {"l0_cls0_W", "l0_reg1_gn_gamma", "l0_cls_out_b", "l0_reg_out_W", "l0_ctr_out_b", "l0_scale_scale",
                "l2_scale_scale", "fpn_p3_W"}) {
            INDArray p = g.getParam(key);
            INDArray flat = p.reshape(p.length());
            for (long k = 0; k < Math.min(3, p.length()); k++) {
                double v = flat.getDouble(k);
                double h = 1e-5;
                flat.putScalar(k, v + h);
                double up = loss(g, tied, x, w);
                flat.putScalar(k, v - h);
                double down = loss(g, tied, x, w);
                flat.putScalar(k, v);
                double fd = (up - down) / (2 * h);
                double an = grads.get(key).reshape(p.length()).getDouble(k);
                assertThat(Math.abs(fd)).as(key + " moves the loss").isGreaterThan(1e-8);
                worst = Math.max(worst, Math.abs(fd - an) / Math.max(1, Math.abs(fd)));
                checked++;
            }
        }
        System.out.printf("shared head: worst relative error %.2e over %d parameters%n", worst, checked);
        assertThat(worst).isLessThan(1e-6);
    }

    @Test
    void theOptimiserStepsOnlyLevelZerosCopyOfASharedLayer() {
        DetectorNetwork.Built built = tiny(true);
        TiedLevels tied = TiedLevels.of(built.graph(), built.tied());
        TrainableParams masks = tied.untrainCopies(TrainableParams.of(built.graph(), built.frozenPrefixes()));
        Map<String, INDArray> table = built.graph().paramTable();
        long base = built.graph().params().offset();
        INDArray mask = masks.trainedMask(built.graph().params().dataType());
        for (String key : new String[] {"l0_cls0_W", "l0_scale_scale", "l1_scale_scale", "l1_cls0_W", "l2_reg1_gn_beta"}) {
            INDArray view = table.get(key);
            double trained = mask.getDouble(view.offset() - base);
            assertThat(trained).as(key).isEqualTo(key.startsWith("l0_") || key.endsWith("_scale_scale") ? 1.0 : 0.0);
        }
    }
}
