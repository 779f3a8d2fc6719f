package io.ranksort4j.detectors.head;

import io.ranksort4j.core.config.Param;

/** RS-ATSS's switches for the paper's component ablations ({@code model.rs}); the defaults are RS-ATSS itself. */
public record RsRecipeParams(
        @Param(value = "classifier target at a positive: iou (rank and sort) or binary (positives tie: ranking only)", def = "iou") Targets targets,
        @Param(value = "box-loss weight: value (λ = L_RS / L_box every iteration) or constant (loss_bbox.loss_weight alone)", def = "value") Balance balance,
        @Param(value = "also learn ATSS's centerness branch (model.loss_centerness) and multiply test scores by it", def = "false") boolean centerness) {

    /** What the classifier is asked to rank positives by. */
    public enum Targets { IOU, BINARY }

    /** How the box loss is weighted against the classification loss. */
    public enum Balance { VALUE, CONSTANT }
}
