package io.ranksort4j.detectors.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The bridge from a Java loss to DL4J's backward pass: the graph's loss layer hands its input (the whole batch's
 * head outputs) to a {@link Source}, which computes the loss and dL/d(output) in plain Java, error-driven
 * gradients included; DL4J then back-propagates that gradient through the network unchanged. The labels DL4J
 * passes are ignored: the source holds the batch's targets. Computed once per {@link #begin}, whichever of
 * score and gradient DL4J asks for first.
 */
public final class InjectedLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    /** Computes a batch's loss and the gradient w.r.t. every value of the output rows. */
    public interface Source {
        /** @param rows one output row per image; returns the loss and a gradient of the same shape. */
        Result compute(float[][] rows);
    }

    /** A loss value and its gradient w.r.t. the output rows. */
    public record Result(double loss, float[][] grad) {}

    @JsonIgnore
    private transient Source source;
    @JsonIgnore
    private transient Result cached;

    /** Sets the source for the next forward/backward pass and forgets the previous result. */
    public void begin(Source s) {
        source = s;
        cached = null;
    }

    /** The result of the last pass, or null. */
    public Result last() {
        return cached;
    }

    private Result result(INDArray preOutput) {
        if (cached == null) {
            if (source == null) {
                throw new IllegalStateException("no loss source: call begin(...) before fitting");
            }
            cached = source.compute(preOutput.castTo(DataType.FLOAT).toFloatMatrix());
        }
        return cached;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        return result(preOutput).loss();
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return Nd4j.valueArrayOf(new long[] {preOutput.size(0), 1}, result(preOutput).loss() / preOutput.size(0), preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return Nd4j.create(result(preOutput).grad()).castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return Pair.of(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "injected";
    }
}
