package io.ranksort4j.detectors.model;

import io.ranksort4j.core.config.Param;

/**
 * The dense head's tower: stacked 3×3 convolutions for classification and regression, then per-anchor class
 * logits (bias −log((1 − p)/p)), box deltas and, when the recipe needs it (ATSS), centerness. One head serves every pyramid
 * level (mmdetection's) or each level has its own ({@code share_levels = false}); see docs/design.md.
 */
public record HeadParams(
        @Param(value = "3×3 convolutions in each tower", def = "4", min = 0, max = 8) int stackedConvs,
        @Param(value = "channels of the towers", def = "256", min = 8, max = 1024) int featChannels,
        @Param(value = "prior probability the classification bias starts at (0.01 gives −4.595)", def = "0.01", min = 1e-6, max = 0.5) double priorProb,
        @Param(value = "normalisation after each tower conv (conv bias off when set): none (RetinaNet's head), batch, or group "
                + "(GroupNorm, the ATSS heads' GN)", def = "none") String norm,
        @Param(value = "groups of norm = group (mmdetection's num_groups); feat_channels must be a multiple", def = "32", min = 1, max = 1024)
        int normGroups,
        @Param(value = "one head for every pyramid level, weights shared and gradients summed over levels, as mmdetection's heads; "
                + "false gives each level its own towers", def = "true") boolean shareLevels,
        @Param(value = "a learnable scalar per level (starting at 1) multiplying the box output: mmdetection's Scale in the ATSS, "
                + "PAA and FCOS heads, not RetinaNet's", def = "false") boolean levelScale) {

    public HeadParams {
        if (!norm.equals("none") && !norm.equals("batch") && !norm.equals("group")) {
            throw new IllegalArgumentException("norm must be none, batch or group, not '" + norm + "'");
        }
        if (norm.equals("group") && featChannels % normGroups != 0) {
            throw new IllegalArgumentException("norm = group splits feat_channels (" + featChannels + ") into norm_groups ("
                    + normGroups + ") groups: make feat_channels a multiple of norm_groups");
        }
    }
}
