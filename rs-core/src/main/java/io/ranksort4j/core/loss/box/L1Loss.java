package io.ranksort4j.core.loss.box;

/** L1 loss summed over the 4 values of each box (or delta vector), as mmdetection's l1_loss with avg_factor. */
public final class L1Loss extends BoxLosses {
    public L1Loss(double lossWeight) {
        super("l1", lossWeight);
    }

    @Override
    double box(float[] p, float[] t, int b, double[] g) {
        double l = 0;
        for (int c = 0; c < 4; c++) {
            double d = (double) p[4 * b + c] - t[4 * b + c];
            l += Math.abs(d);
            g[c] = Math.signum(d);
        }
        return l;
    }
}
