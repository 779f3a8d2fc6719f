package io.ranksort4j.detectors.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * L = Σ w·output over a detector graph's output rows, for finite-difference checks of the gradient injected through
 * {@link InjectedLoss}: w's values are multiples of 1/8 in [−1, 1), exact in float, as the injected rows travel.
 */
record WeightedOutputLoss(double[][] w) {
    /** Random weights (Nd4j's current seed) for a batch of {@code rows} outputs of {@code width} values. */
    static WeightedOutputLoss random(int rows, long width) {
        return new WeightedOutputLoss(Nd4j.rand(DataType.DOUBLE, rows, width).muli(16).castTo(DataType.INT32).castTo(DataType.DOUBLE)
                .divi(8).subi(1).toDoubleMatrix());
    }

    /** Makes the graph's loss layer inject ∂L/∂output = w on its next backward pass. */
    void inject(ComputationGraph g) {
        InjectedLoss bridge = (InjectedLoss) ((org.deeplearning4j.nn.conf.layers.LossLayer) g.getOutputLayer(0).conf().getLayer()).getLossFn();
        bridge.begin(rows -> {
            float[][] grad = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                grad[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    grad[i][j] = (float) w[i][j];
                }
            }
            return new InjectedLoss.Result(0, grad);
        });
    }

    /** L of the graph's training-mode output for {@code x}. */
    double of(ComputationGraph g, INDArray x) {
        double[][] out = g.outputSingle(true, x).toDoubleMatrix();
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                l += w[i][j] * out[i][j];
            }
        }
        return l;
    }
}
