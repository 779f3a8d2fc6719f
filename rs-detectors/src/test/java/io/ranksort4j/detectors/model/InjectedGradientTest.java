package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.impl.LossBinaryXENT;

class InjectedGradientTest {
    private static final int SIZE = 64;

    private static ComputationGraph tiny(org.nd4j.linalg.lossfunctions.ILossFunction loss) {
        return DetectorNetwork.build(SIZE, SIZE, 3, 2, new BackboneParams(18, 8, -1, "", false), new NeckParams(8, 5),
                new HeadParams(1, 8, 0.01, "none", 32, false, false), true, loss, 7, DataType.DOUBLE, false).graph();
    }

    /**
     * The identity-update route: a gradient computed in Java and injected through the loss layer must give the
     * same parameter gradients as DL4J's own autodiff of the same loss (sigmoid BCE, no clipping).
     */
    @Test
    void javaComputedBceGradientReachesEveryParameterExactlyAsAutodiff() {
        InjectedLoss injected = new InjectedLoss();
        ComputationGraph a = tiny(injected);
        // The reference graph: same architecture, DL4J's own BCE (eps 0: no probability clipping) after a sigmoid.
        ComputationGraph b = tiny(new LossBinaryXENT(0.0));
        ((org.deeplearning4j.nn.conf.layers.LossLayer) b.getOutputLayer(0).conf().getLayer()).setActivationFn(Activation.SIGMOID.getActivationFunction());
        b.setParams(a.params().dup());

        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, SIZE, SIZE);
        long width = a.outputSingle(false, x).size(1);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 2, width).gt(0.9).castTo(DataType.DOUBLE);
        double[][] yy = y.toDoubleMatrix();

        injected.begin(rows -> {
            float[][] g = new float[rows.length][];
            double loss = 0;
            for (int i = 0; i < rows.length; i++) {
                g[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    double p = 1 / (1 + Math.exp(-rows[i][j]));
                    g[i][j] = (float) ((p - yy[i][j]) / rows.length);
                    loss -= (yy[i][j] * Math.log(p) + (1 - yy[i][j]) * Math.log(1 - p)) / rows.length;
                }
            }
            return new InjectedLoss.Result(loss, g);
        });
        a.setInputs(x);
        a.setLabels(y);
        a.computeGradientAndScore();
        b.setInputs(x);
        b.setLabels(y);
        b.computeGradientAndScore();

        assertThat(a.gradient().gradientForVariable()).hasSameSizeAs(b.gradient().gradientForVariable());
        double worst = 0;
        for (var e : a.gradient().gradientForVariable().entrySet()) {
            INDArray ref = b.gradient().gradientForVariable().get(e.getKey());
            // DL4J's own losses leave the division by the minibatch to its updater, the trainer applies injected
            // gradients as they are; BN's running-statistic "gradients" do not depend on the loss at all.
            if (!TrainableParams.isRunningStatistic(e.getKey())) {
                ref = ref.div(2);
            }
            double norm = ref.norm2Number().doubleValue();
            assertThat(norm).as(e.getKey()).isGreaterThan(0);
            worst = Math.max(worst, e.getValue().sub(ref).norm2Number().doubleValue() / norm);
        }
        // The injected gradient travels as float rows; everything else is double.
        assertThat(worst).isLessThan(1e-6);
    }

    @Test
    void frozenStagesNameTheStemAndTheFirstStages() {
        var built = DetectorNetwork.build(SIZE, SIZE, 3, 1, new BackboneParams(18, 8, 1, "", false), new NeckParams(8, 3),
                new HeadParams(0, 8, 0.01, "none", 32, false, false), false, new InjectedLoss(), 1, DataType.FLOAT, false);
        assertThat(built.frozenPrefixes()).containsExactly("stem", "layer1_");
        assertThat(built.graph().getConfiguration().getNetworkOutputs()).containsExactly(DetectorNetwork.OUTPUT);
    }
}
