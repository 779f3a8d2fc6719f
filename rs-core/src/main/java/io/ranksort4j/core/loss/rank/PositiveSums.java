package io.ranksort4j.core.loss.rank;

/** Positive-against-positive sums shared by AP and aLRP, whose rank among positives counts self as 1. */
final class PositiveSums {
    private PositiveSums() {}

    static int countOnes(Scores t) {
        int n = 0;
        for (int i = 0; i < t.length(); i++) {
            if (t.get(i) == 1) {
                n++;
            }
        }
        return n;
    }

    /** R⁺_i = 1 + Σ_{k≠i} H(u_k − u_i). */
    static double[] rankAmongPositivesSelfOne(PositiveSet ps) {
        return weightedAbove(ps, null);
    }

    /** Σ_{k≠i} H(u_k − u_i) · w_k, plus 1 when {@code w} is null (the R⁺ form). */
    static double[] weightedAbove(PositiveSet ps, double[] w) {
        int p = ps.size();
        double[] out = new double[p];
        for (int a = 0; a < p; a++) {
            double acc = w == null ? 1 : 0;
            for (int k = 0; k < p; k++) {
                if (k != a) {
                    double h = SmoothStep.h(ps.u[k] - ps.u[a], ps.delta);
                    if (h != 0) {
                        acc += w == null ? h : h * w[k];
                    }
                }
            }
            out[a] = acc;
        }
        return out;
    }
}
