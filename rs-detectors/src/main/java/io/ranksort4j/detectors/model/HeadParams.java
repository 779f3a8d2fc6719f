package io.ranksort4j.detectors.model;

import io.ranksort4j.core.config.Param;

/**
 * The dense head's tower: stacked 3×3 convolutions for classification and regression, then per-anchor class
 * logits (bias −log((1 − p)/p)), box deltas and, when the recipe needs it (ATSS), centerness. DL4J's ComputationGraph cannot share
 * weights between vertices, so every pyramid level has its own tower (see docs/design.md).
 */
public record HeadParams(
        @Param(value = "3×3 convolutions in each tower", def = "4", min = 0, max = 8) int stackedConvs,
        @Param(value = "channels of the towers", def = "256", min = 8, max = 1024) int featChannels,
        @Param(value = "prior probability the classification bias starts at (0.01 gives −4.595)", def = "0.01", min = 1e-6, max = 0.5) double priorProb,
        @Param(value = "normalisation in the towers: none or batch (DL4J has no GroupNorm layer)", def = "none") String norm) {

    public HeadParams {
        if (!norm.equals("none") && !norm.equals("batch")) {
            throw new IllegalArgumentException("norm must be none or batch, not '" + norm + "'");
        }
    }
}
