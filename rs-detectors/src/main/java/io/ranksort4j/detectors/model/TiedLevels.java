package io.ranksort4j.detectors.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One head shared by every pyramid level, as mmdetection runs it, inside a DL4J graph that cannot share weights
 * between vertices: each level keeps a copy of the head's layers, the first level's copy holds the weights and is the
 * only one trained, the other copies are set from it before every forward pass, and their gradients are added to
 * its gradient (the gradient of a shared weight is the sum over its uses). Batch-norm running statistics stay per
 * level. See docs/design.md, "Heads shared across levels".
 */
public final class TiedLevels {
    private static final TiedLevels NONE = new TiedLevels(List.of());

    /** One tied tensor: the leader's and the copy's first index in the flat vector, and the length. */
    private record Tie(long leader, long copy, long length) {}

    private final List<Tie> ties;

    private TiedLevels(List<Tie> ties) {
        this.ties = List.copyOf(ties);
    }

    /**
     * @param graph        the graph whose parameters open the vector {@link #sync} and {@link #collect} are given (the
     *                     detectors put it first)
     * @param copyToLeader layer name of each copy to the layer name it copies (same configuration)
     */
    public static TiedLevels of(ComputationGraph graph, Map<String, String> copyToLeader) {
        if (copyToLeader.isEmpty()) {
            return NONE;
        }
        long origin = graph.params().offset();
        Map<String, INDArray> table = graph.paramTable();
        List<Tie> ties = new ArrayList<>();
        copyToLeader.forEach((copy, leader) -> table.forEach((key, view) -> {
            if (!key.startsWith(leader + "_") || TrainableParams.isRunningStatistic(key)) {
                return;
            }
            String paramKey = key.substring(leader.length() + 1);
            INDArray copyView = table.get(copy + "_" + paramKey);
            if (copyView == null || copyView.length() != view.length()) {
                throw new IllegalStateException("layer " + copy + " is no copy of " + leader + ": parameter " + paramKey + " differs");
            }
            ties.add(new Tie(view.offset() - origin, copyView.offset() - origin, view.length()));
        }));
        if (ties.isEmpty()) {
            throw new IllegalStateException("no parameters to tie among " + copyToLeader);
        }
        return new TiedLevels(ties);
    }

    /** Sets every copy to its leader's weights. */
    public void sync(INDArray params) {
        for (Tie t : ties) {
            range(params, t.copy, t.length).assign(range(params, t.leader, t.length));
        }
    }

    /** Adds each copy's gradient to its leader's and zeroes the copy's. */
    public void collect(INDArray gradient) {
        for (Tie t : ties) {
            INDArray copy = range(gradient, t.copy, t.length);
            range(gradient, t.leader, t.length).addi(copy);
            copy.assign(0);
        }
    }

    /** The spans with the copies taken out of training (the optimiser steps and decays the leaders only). */
    public TrainableParams untrainCopies(TrainableParams masks) {
        if (ties.isEmpty()) {
            return masks;
        }
        TrainableParams out = masks;
        for (Tie t : ties) {
            out = out.untrained(new TrainableParams.Span(t.copy, t.copy + t.length));
        }
        return out;
    }

    private static INDArray range(INDArray flat, long from, long length) {
        // a graph's own vector is a [1, n] row: index it as [n]
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(from, from + length));
    }
}
