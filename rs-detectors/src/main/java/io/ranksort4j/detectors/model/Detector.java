package io.ranksort4j.detectors.model;

import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A detector as the training engine sees it, one- or two-stage: one flat parameter vector (what the optimiser
 * steps and checkpoints hold), a forward and backward pass on a batch with the recipe's injected gradients, and
 * the test pipeline.
 */
public interface Detector {
    /** Every parameter, one vector; updated in place by the optimiser. */
    INDArray params();

    /** dL/d{@link #params()} of the last {@link #forwardBackward}, same layout (batch-norm statistics: their step). */
    INDArray gradient();

    /** The name, shape and place in {@link #params()} of every tensor (checkpoints store it; load_from matches by it). */
    ParamLayout paramLayout();

    /** Which parameters the optimiser trains and which are batch-norm running statistics. */
    TrainableParams trainable();

    /** Forward and backward on one batch; the parameter gradient is left in {@link #gradient()}. */
    HeadLossResult forwardBackward(DetectionBatch batch);

    /** Seconds the last {@link #forwardBackward} spent in the recipe (assignment, losses, their gradients). */
    double lastLossSeconds();

    /** State besides the parameters that a checkpoint must hold (a recipe's, by name); empty for most detectors. */
    default Map<String, TrainingState> trainingState() {
        return Map.of();
    }

    /** Each image's detections in the resized (network input) frame, best first. */
    List<ImageDetections> detect(DetectionBatch batch);
}
