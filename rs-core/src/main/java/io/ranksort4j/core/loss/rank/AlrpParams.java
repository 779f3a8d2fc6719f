package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.config.Param;

/** Hyper-parameters of aLRP loss; defaults are the official RetinaNet head's. */
public record AlrpParams(
        @Param(value = "margin of the smoothed step", def = "1.0", min = 1e-6, max = 10) double delta,
        @Param(value = "gradient gate on the false-positive mass", def = "1e-5", min = 0) double eps,
        @Param(value = "initial self-balance weight on L_loc", def = "50", min = 0) double sbInitial,
        @Param(value = "iterations between self-balance updates (one COCO epoch at batch 32 in the paper)", def = "3665", min = 1) int sbPeriod) {}
