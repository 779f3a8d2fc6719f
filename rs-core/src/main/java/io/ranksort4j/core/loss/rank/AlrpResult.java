package io.ranksort4j.core.loss.rank;

/**
 * aLRP loss in double precision: classification and localisation components, the error-driven gradient for
 * every logit, dL_loc/de for each positive (flattened order), and the self-balance weight to apply to L_loc.
 */
public record AlrpResult(double clsLoss, double locLoss, double[] grad, double[] locGrad, int numPositives, double sbWeight) {
    /** L_cls + w_SB · L_loc, the value training minimises. */
    public double total() {
        return clsLoss + sbWeight * locLoss;
    }
}
