package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * The Rank &amp; Sort loss (Oksuz et al., ICCV 2021) in the exact fast form of docs/losses.md §10: positives sorted
 * once, every negative binary-searched into them, window sums by compensated difference arrays and
 * prefix sums. Same values and identity-update gradient as the official code, in O(N log P + P²) time and
 * O(P) memory beyond the gradient; the negative passes run on all cores for large batches.
 */
public final class RankSortLoss implements ClassificationLoss {
    private final double delta;
    private final double eps;

    public RankSortLoss(double delta, double eps) {
        this.delta = delta;
        this.eps = eps;
    }

    public RankSortLoss(RankSortParams p) {
        this(p.delta(), p.eps());
    }

    private static Integer[] byDecreasingIou(double[] y) {
        Integer[] order = new Integer[y.length];
        for (int i = 0; i < y.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(y[b], y[a]));
        return order;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        RankingInputs.check("rank_sort", Scores.of(logits), Scores.of(targets), true);
        float[] grad = new float[logits.length];
        double[] lrls = new double[2];
        int p = run(Scores.of(logits), Scores.of(targets), (NegativeSweep.Sink) (i, v) -> grad[i] = (float) v, lrls);
        return new ClassificationLossResult(lrls[0] + lrls[1], grad, p, Map.of("ranking_loss", lrls[0], "sorting_loss", lrls[1]));
    }

    /** Double-precision entry point (tests, cross-checks). */
    public RankSortResult compute(double[] logits, double[] targets) {
        RankingInputs.check("rank_sort", Scores.of(logits), Scores.of(targets), true);
        double[] grad = new double[logits.length];
        double[] lrls = new double[2];
        int p = run(Scores.of(logits), Scores.of(targets), (NegativeSweep.Sink) (i, v) -> grad[i] = v, lrls);
        return new RankSortResult(lrls[0], lrls[1], grad, p);
    }

    private int run(Scores s, Scores t, NegativeSweep.Sink grad, double[] lossOut) {
        int m = s.length();
        int count = 0;
        for (int i = 0; i < m; i++) {
            if (t.get(i) > 0) {
                count++;
            }
        }
        if (count == 0) {
            return 0;
        }
        PositiveSet ps = new PositiveSet(s, t, count, v -> v > 0, delta);
        int p = ps.size();
        double[] u = ps.u;
        double[] y = ps.y;

        // Positive-positive sums in O(P log P): R+ and the current sorting sum over all positives; the target
        // sums (IoU ≥ own) by a sweep in decreasing IoU that inserts each block of equal IoU before querying it.
        double[] rPlus = new double[p];
        double[] cur = new double[p];
        double[] tw = new double[p];
        double[] te = new double[p];
        double[] d = new double[p];
        WindowFenwick all = new WindowFenwick(ps);
        WindowFenwick allErr = new WindowFenwick(ps);
        for (int a = 0; a < p; a++) {
            all.insert(a, 1);
            allErr.insert(a, 1 - y[a]);
        }
        for (int a = 0; a < p; a++) {
            rPlus[a] = all.above(u[a]);
            cur[a] = allErr.above(u[a]);
        }
        Integer[] byIou = byDecreasingIou(y);
        WindowFenwick high = new WindowFenwick(ps);
        WindowFenwick highErr = new WindowFenwick(ps);
        for (int b = 0; b < p; ) {
            int e = b;
            while (e < p && y[byIou[e]] == y[byIou[b]]) {
                e++;
            }
            for (int q = b; q < e; q++) {
                high.insert(byIou[q], 1);
                highErr.insert(byIou[q], 1 - y[byIou[q]]);
            }
            for (int q = b; q < e; q++) {
                int a = byIou[q];
                tw[a] = high.above(u[a]);
                te[a] = highErr.above(u[a]);
                d[a] = Math.max(rPlus[a] - tw[a], 0);
            }
            b = e;
        }

        int[] windows = NegativeSweep.windowCache(ps, s.length());
        double[] f = NegativeSweep.falsePositives(s, t, ps, windows);

        double sumR = 0;
        double sumS = 0;
        double[] lR = new double[p];
        double[] lS = new double[p];
        double[] negWeight = new double[p];
        for (int a = 0; a < p; a++) {
            double r = rPlus[a] + f[a];
            lR[a] = f[a] / r;
            lS[a] = cur[a] / rPlus[a] - te[a] / tw[a];
            sumR += lR[a];
            sumS += lS[a];
            negWeight[a] = f[a] > eps ? 1 / r : 0;
        }
        lossOut[0] = sumR / p;
        lossOut[1] = sumS / p;

        NegativeSweep.negativeGradients(s, t, ps, windows, negWeight, grad, p);

        // Positives: own ranking and sorting pushes, plus sorting shares from strictly higher-IoU positives
        // (a sweep in decreasing IoU that queries each block before inserting it).
        WindowFenwick shares = new WindowFenwick(ps);
        for (int b = 0; b < p; ) {
            int e = b;
            while (e < p && y[byIou[e]] == y[byIou[b]]) {
                e++;
            }
            for (int q = b; q < e; q++) {
                int k = byIou[q];
                double g = -(f[k] > eps ? lR[k] : 0) - (d[k] > eps ? lS[k] : 0) + shares.below(u[k]);
                grad.set(ps.index[k], g / p);
            }
            for (int q = b; q < e; q++) {
                int hi = byIou[q];
                if (d[hi] > eps) {
                    shares.insert(hi, lS[hi] / d[hi]);
                }
            }
            b = e;
        }
        return p;
    }

}
