package io.ranksort4j.core.loss.rank;

/** An array of Neumaier-compensated accumulators: sums of a million terms stay exact to about 1e-15. */
final class CompensatedArray {
    final double[] sum;
    final double[] comp;

    CompensatedArray(int n) {
        sum = new double[n];
        comp = new double[n];
    }

    void add(int i, double v) {
        // Knuth's TwoSum: branch-free, so it costs no mispredictions in the negatives' hot loop.
        double s = sum[i];
        double t = s + v;
        double bp = t - s;
        comp[i] += (s - (t - bp)) + (v - bp);
        sum[i] = t;
    }

    void addAll(CompensatedArray o) {
        for (int i = 0; i < sum.length; i++) {
            add(i, o.sum[i]);
            add(i, o.comp[i]);
        }
    }

    /** Inclusive prefix sums, themselves compensated. */
    double[] prefix() {
        double[] out = new double[sum.length];
        double s = 0;
        double c = 0;
        for (int i = 0; i < sum.length; i++) {
            for (double v : new double[] {sum[i], comp[i]}) {
                double t = s + v;
                c += Math.abs(s) >= Math.abs(v) ? (s - t) + v : (v - t) + s;
                s = t;
            }
            out[i] = s + c;
        }
        return out;
    }
}
