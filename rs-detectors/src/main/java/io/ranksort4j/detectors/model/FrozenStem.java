package io.ranksort4j.detectors.model;

import java.util.ArrayList;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The frozen stages of a backbone ({@code frozen_stages = k}: the stem and layers 1..k) as a network of their own
 * that only ever runs in inference mode: its weights and batch-norm statistics never change, so, as PyTorch's
 * autograd does for parameters without requires_grad, nothing of it is kept for a backward pass. At 1333 × 800 the
 * stem and layer 1 hold the largest feature maps of the whole detector; the trained network starts from their output.
 */
public final class FrozenStem {
    private final ComputationGraph graph;
    private final int stride;
    private final long channels;

    private FrozenStem(ComputationGraph graph, int stride, long channels) {
        this.graph = graph;
        this.stride = stride;
        this.channels = channels;
    }

    /** The stem and layers 1..frozen_stages of {@code bb} (its weights seeded as in the unsplit network's build). */
    static FrozenStem build(BackboneParams bb, long seed, DataType dtype) {
        int k = bb.frozenStages();
        if (k < 0) {
            return null;
        }
        var gb = DetectorNetwork.graphBuilder(seed, dtype, InputType.convolutional(64, 64, 3));
        DetectorNetwork n = new DetectorNetwork(gb);
        String[] out = n.resnet(bb, "image", 0, k, new ArrayList<>());
        gb.setOutputs(k == 0 ? "stem_pool" : out[k - 1]);
        ComputationGraph g = new ComputationGraph(gb.build());
        g.init();
        return new FrozenStem(g, k <= 1 ? 4 : 4 << (k - 1), k == 0 ? bb.baseWidth() : bb.stageChannels(k - 1));
    }

    /** The same stem on another parameter vector (a view: the detector's one vector holds every network). */
    public FrozenStem rebind(INDArray params) {
        ComputationGraph g = new ComputationGraph(graph.getConfiguration());
        g.init(params.assign(graph.params()), false);
        return new FrozenStem(g, stride, channels);
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** What the trained network receives for an input of this size (only its channels matter to the build). */
    InputType outputType(int height, int width) {
        return InputType.convolutional(Math.max(1, height / stride), Math.max(1, width / stride), channels);
    }

    /** The stem's output for a batch, outside every workspace so the trained network can take it as input. */
    public INDArray forward(INDArray images) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return graph.outputSingle(false, images);
        }
    }
}
