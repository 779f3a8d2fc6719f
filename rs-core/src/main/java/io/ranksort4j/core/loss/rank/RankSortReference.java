package io.ranksort4j.core.loss.rank;

/**
 * The definitional O(P·N) Rank &amp; Sort loss, written to mirror the formulas of docs/losses.md §2–3 one to one; the test
 * reference for {@link RankSortLoss}. Not for training: it is quadratic.
 */
public final class RankSortReference {
    private final double delta;
    private final double eps;

    public RankSortReference(double delta, double eps) {
        this.delta = delta;
        this.eps = eps;
    }

    public RankSortResult compute(double[] s, double[] t) {
        RankingInputs.check("rank_sort", Scores.of(s), Scores.of(t), true);
        int m = s.length;
        double[] g = new double[m];
        int[] pos = java.util.stream.IntStream.range(0, m).filter(i -> t[i] > 0).toArray();
        if (pos.length == 0) {
            return new RankSortResult(0, 0, g, 0);
        }
        double minPos = Double.POSITIVE_INFINITY;
        for (int i : pos) {
            minPos = Math.min(minPos, s[i]);
        }
        double thr = minPos - Math.max(delta, 0);
        final double cut = thr;
        int[] neg = java.util.stream.IntStream.range(0, m).filter(j -> t[j] == 0 && s[j] >= cut).toArray();
        double lr = 0;
        double ls = 0;
        for (int i : pos) {
            double rPlus = 0;
            double cur = 0;
            double tgtW = 0;
            double tgtE = 0;
            double d = 0;
            for (int k : pos) {
                double h = SmoothStep.h(s[k] - s[i], delta);
                rPlus += h;
                cur += h * (1 - t[k]);
                if (t[k] >= t[i]) {
                    tgtW += h;
                    tgtE += h * (1 - t[k]);
                } else {
                    d += h;
                }
            }
            double f = 0;
            for (int j : neg) {
                f += SmoothStep.h(s[j] - s[i], delta);
            }
            double r = rPlus + f;
            double rankErr = f / r;
            double sortErr = cur / rPlus - tgtE / tgtW;
            lr += rankErr;
            ls += sortErr;
            if (f > eps) {
                g[i] -= rankErr;
                for (int j : neg) {
                    g[j] += rankErr * SmoothStep.h(s[j] - s[i], delta) / f;
                }
            }
            if (d > eps) {
                g[i] -= sortErr;
                for (int k : pos) {
                    if (t[k] < t[i]) {
                        g[k] += sortErr * SmoothStep.h(s[k] - s[i], delta) / d;
                    }
                }
            }
        }
        int p = pos.length;
        for (int i = 0; i < m; i++) {
            g[i] /= p;
        }
        return new RankSortResult(lr / p, ls / p, g, p);
    }
}
