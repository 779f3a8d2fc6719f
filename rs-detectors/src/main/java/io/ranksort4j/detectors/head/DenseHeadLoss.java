package io.ranksort4j.detectors.head;

import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.anchor.Anchors;
import java.util.List;
import java.util.Map;

/** A dense detector's training recipe: from a batch's head outputs and ground truth to loss and gradients. */
public interface DenseHeadLoss {
    HeadLossResult compute(List<HeadOutputs> outputs, List<GroundTruth> gts, Anchors anchors);

    /** Whether the head needs the centerness branch. */
    default boolean usesCenterness() {
        return false;
    }

    /** The recipe's state that must survive a checkpoint, by name (empty for a recipe without state). */
    default Map<String, TrainingState> trainingState() {
        return Map.of();
    }
}
