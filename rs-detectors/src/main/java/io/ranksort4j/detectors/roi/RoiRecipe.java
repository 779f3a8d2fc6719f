package io.ranksort4j.detectors.roi;

import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.List;

/** How one RoI-head stage is trained: RS-R-CNN's ranking of all RoIs ({@link RsRoiLoss}) or a sampled baseline ({@link SampledRoiLoss}). */
public interface RoiRecipe {
    /**
     * The stage's loss and, for the mask head, the positives it trained: {image, RoI index in that image's R + G
     * RoIs, GT index}, and each one's weight in the mask loss.
     */
    record Output(HeadLossResult result, List<int[]> positives, float[] weights) {}

    /** Whether the head has a background logit after the C class logits (softmax classifiers). */
    boolean backgroundLogit();

    Output computeWithPositives(List<RoiTrainInputs> images);

    default HeadLossResult compute(List<RoiTrainInputs> images) {
        return computeWithPositives(images).result();
    }
}
