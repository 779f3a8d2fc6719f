package io.ranksort4j.core.loss.box;

/** Smooth L1 (Huber with threshold beta), summed over the 4 values of each box, as mmdetection's smooth_l1_loss. */
public final class SmoothL1Loss extends BoxLosses {
    private final double beta;

    public SmoothL1Loss(double beta, double lossWeight) {
        super("smooth_l1", lossWeight);
        this.beta = beta;
    }

    @Override
    double box(float[] p, float[] t, int b, double[] g) {
        double l = 0;
        for (int c = 0; c < 4; c++) {
            double d = (double) p[4 * b + c] - t[4 * b + c];
            double a = Math.abs(d);
            if (a < beta) {
                l += 0.5 * d * d / beta;
                g[c] = d / beta;
            } else {
                l += a - 0.5 * beta;
                g[c] = Math.signum(d);
            }
        }
        return l;
    }
}
