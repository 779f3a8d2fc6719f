package io.ranksort4j.detectors.model;

import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;

/**
 * Flattens NCHW feature maps of any height and width into [N, C·H·W] rows (C order). DL4J's
 * CnnToFeedForwardPreProcessor checks the input against the size the graph was configured with; this one takes
 * whatever the batch's padded shape gives, so one graph serves every image shape and the recipe reads the row
 * with the layout of that shape.
 */
public final class SpatialFlatten implements InputPreProcessor {
    private static final long serialVersionUID = 1L;

    // Backward needs the forward's spatial shape; a graph runs one forward/backward at a time per instance.
    private transient long[] lastShape;

    @Override
    public INDArray preProcess(INDArray input, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (input.rank() != 4) {
            throw new IllegalArgumentException("SpatialFlatten expects NCHW feature maps, got shape " + java.util.Arrays.toString(input.shape()));
        }
        if (input.ordering() != 'c' || !Shape.hasDefaultStridesForShape(input)) {
            input = workspaceMgr.dup(ArrayType.ACTIVATIONS, input, 'c');
        }
        lastShape = input.shape();
        long[] s = lastShape;
        return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, input.reshape('c', s[0], s[1] * s[2] * s[3]));
    }

    @Override
    public INDArray backprop(INDArray epsilons, int miniBatchSize, LayerWorkspaceMgr workspaceMgr) {
        if (epsilons.ordering() != 'c' || !Shape.hasDefaultStridesForShape(epsilons)) {
            epsilons = workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilons, 'c');
        }
        long[] s = lastShape;
        return workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, epsilons.reshape('c', epsilons.size(0), s[1], s[2], s[3]));
    }

    @Override
    public SpatialFlatten clone() {
        return new SpatialFlatten();
    }

    @Override
    public InputType getOutputType(InputType inputType) {
        // Only used while building the graph (to size the layers after it); the runtime shape may differ.
        InputType.InputTypeConvolutional c = (InputType.InputTypeConvolutional) inputType;
        return InputType.feedForward(c.getChannels() * c.getHeight() * c.getWidth());
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpatialFlatten;
    }

    @Override
    public int hashCode() {
        return SpatialFlatten.class.hashCode();
    }
}
