package io.ranksort4j.parallel;

import io.ranksort4j.detectors.engine.ScheduleParams;
import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.DenseBlueprint;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * A detector's network set up for DL4J's own {@code fit} (and so for ParallelWrapper and Spark): the blueprint's
 * graph, same layers and weights, with the recipe as the loss ({@link RecipeLoss}) and DL4J doing the optimiser
 * step the project's {@code Sgd} does in the single-process trainer.
 *
 * <p>How close that step is: momentum SGD with plain momentum ({@link TorchSgd}) and the schedule's learning rate
 * ({@link MmdetLr}) are exact; weight decay is DL4J's L2 (torch's coupled decay) on conv weights and biases but,
 * as DL4J never regularises batch-norm γ/β, not on those; {@code grad_clip} becomes DL4J's per-layer L2 clipping
 * at the same threshold (torch clips the global norm, so this clips less often); frozen stages get a zero
 * learning rate and batch-norm running statistics that no longer move.
 */
public final class FitGraph {
    private FitGraph() {}

    /** The trainable graph and the plain detector sharing its parameter layout (for evaluation and checkpoints). */
    public record Built(ComputationGraph graph, RecipeLoss loss, DenseDetector detector) {}

    /**
     * Builds the blueprint's detector (seeded) and its fit-ready twin.
     *
     * @param itersPerEpoch iterations per epoch, for epoch-based schedules
     */
    public static Built build(DenseBlueprint bp, RecipeLoss loss, ScheduleParams schedule, int itersPerEpoch, long seed) {
        DenseDetector det = bp.build(seed, false);
        ComputationGraphConfiguration conf = det.graph().getConfiguration().clone();
        TorchSgd sgd = new TorchSgd(new MmdetLr(schedule, itersPerEpoch), schedule.momentum());
        List<Regularization> decay = schedule.weightDecay() > 0 ? List.of(new L2Regularization(schedule.weightDecay())) : List.of();
        for (var e : conf.getVertices().entrySet()) {
            GraphVertex v = e.getValue();
            if (!(v instanceof LayerVertex lv)) {
                continue;
            }
            Layer layer = lv.getLayerConf().getLayer();
            boolean frozen = det.frozenPrefixes().stream().anyMatch(e.getKey()::startsWith);
            if (layer instanceof LossLayer ll) {
                ll.setLossFn(loss);
            }
            if (layer instanceof BaseLayer bl) {
                bl.setIUpdater(frozen ? new Sgd(0.0) : sgd.clone());
                bl.setRegularization(frozen ? List.of() : decay);
                bl.setRegularizationBias(frozen ? List.of() : decay);
                if (schedule.gradClip() > 0) {
                    bl.setGradientNormalization(GradientNormalization.ClipL2PerLayer);
                    bl.setGradientNormalizationThreshold(schedule.gradClip());
                }
            }
            if (frozen && layer instanceof BatchNormalization bn) {
                bn.setDecay(1.0);
            }
        }
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init(det.graph().params().dup(), false);
        return new Built(graph, loss, det);
    }
}
