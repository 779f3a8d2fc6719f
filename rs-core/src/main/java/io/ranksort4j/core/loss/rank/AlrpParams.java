package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.config.Param;

/** Hyper-parameters of aLRP loss; defaults are the official RetinaNet head's, the self-balance period the authors' epoch. */
public record AlrpParams(
        @Param(value = "margin of the smoothed step", def = "1.0", min = 1e-6, max = 10) double delta,
        @Param(value = "gradient gate on the false-positive mass", def = "1e-5", min = 0) double eps,
        @Param(value = "initial self-balance weight on L_loc", def = "50", min = 0) double sbInitial,
        @Param(value = "self-balance update period: epoch (as the authors) or a number of iterations", def = "epoch") String sbPeriod) {
    public AlrpParams {
        sbPeriod = sbPeriod.trim();
        if (!sbPeriod.equals("epoch") && !sbPeriod.matches("[1-9][0-9]{0,8}")) {
            throw new IllegalArgumentException("sb_period must be 'epoch' or a whole number of iterations >= 1, got '" + sbPeriod + "'");
        }
    }

    /** Iterations per update, or {@link SelfBalance#EPOCH}. */
    public int sbPeriodIterations() {
        return sbPeriod.equals("epoch") ? SelfBalance.EPOCH : Integer.parseInt(sbPeriod);
    }
}
