package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.loss.Loss;
import java.util.stream.IntStream;

/**
 * aLRP loss (Oksuz et al., NeurIPS 2020) in the fast exact form: classification component with its error-driven
 * update (localisation errors of higher-ranked positives included), the sorted cumulative localisation
 * component with its gradient w.r.t. each positive's regression loss, and the self-balance weight.
 */
public final class AlrpLoss implements Loss {
    private final double delta;
    private final double eps;
    private final SelfBalance selfBalance;

    public AlrpLoss(AlrpParams p) {
        this.delta = p.delta();
        this.eps = p.eps();
        this.selfBalance = new SelfBalance(p.sbInitial(), p.sbPeriodIterations());
    }

    /** The self-balance state this loss applies; the detector calls {@link SelfBalance#update} once per iteration. */
    public SelfBalance selfBalance() {
        return selfBalance;
    }

    /** Float entry point for training: logits and targets flattened, {@code e} one per positive in flattened order. */
    public AlrpResult compute(float[] logits, float[] targets, float[] e) {
        double[] ed = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            ed[i] = e[i];
        }
        return run(Scores.of(logits), Scores.of(targets), ed);
    }

    public AlrpResult compute(double[] logits, double[] targets, double[] e) {
        return run(Scores.of(logits), Scores.of(targets), e);
    }

    static void checkRegression(double[] e, int positives) {
        if (e.length != positives) {
            throw new IllegalArgumentException("alrp: " + e.length + " regression losses for " + positives
                    + " positives; give one per positive (target == 1), in flattened order");
        }
        for (int i = 0; i < e.length; i++) {
            if (!Double.isFinite(e[i]) || e[i] < 0) {
                throw new IllegalArgumentException("alrp: regression loss " + i + " is " + e[i] + "; it must be finite and >= 0");
            }
        }
    }

    private AlrpResult run(Scores s, Scores t, double[] e) {
        RankingInputs.check("alrp", s, t, false);
        int count = PositiveSums.countOnes(t);
        checkRegression(e, count);
        double[] grad = new double[s.length()];
        if (count == 0) {
            return new AlrpResult(0, 0, grad, new double[0], 0, selfBalance.weight());
        }
        PositiveSet ps = new PositiveSet(s, t, count, v -> v == 1, delta);
        int p = ps.size();
        // e arrives in flattened order; PositiveSet is in ascending logit order.
        int[] flatRank = flattenedRank(ps);
        double[] eSorted = new double[p];
        for (int a = 0; a < p; a++) {
            eSorted[a] = e[flatRank[a]];
        }
        double[] rPlus = PositiveSums.rankAmongPositivesSelfOne(ps);
        double[] above = PositiveSums.weightedAbove(ps, eSorted);
        int[] windows = NegativeSweep.windowCache(ps, s.length());
        double[] f = NegativeSweep.falsePositives(s, t, ps, windows);
        double[] r = new double[p];
        double[] negWeight = new double[p];
        double cls = 0;
        for (int a = 0; a < p; a++) {
            r[a] = rPlus[a] + f[a];
            cls += f[a] / r[a];
            if (f[a] > eps) {
                double err = (above[a] + f[a]) / r[a];
                grad[ps.index[a]] = -err / p;
                negWeight[a] = err / f[a];
            }
        }
        NegativeSweep.negativeGradients(s, t, ps, windows, negWeight, (i, v) -> grad[i] = v, p);
        // Descending logit order is the ascending order reversed: cumulative e over it, each divided by its own R.
        double cum = 0;
        double loc = 0;
        for (int a = p - 1; a >= 0; a--) {
            cum += eSorted[a];
            loc += cum / r[a];
        }
        double[] locGrad = new double[p];
        double prefix = 0;
        for (int a = 0; a < p; a++) {
            prefix += 1 / r[a];
            locGrad[flatRank[a]] = prefix / p;
        }
        return new AlrpResult(cls / p, loc / p, grad, locGrad, p, selfBalance.weight());
    }

    /** For each sorted positive, its position among the positives in flattened order. */
    private static int[] flattenedRank(PositiveSet ps) {
        int p = ps.size();
        Integer[] byIndex = IntStream.range(0, p).boxed().toArray(Integer[]::new);
        java.util.Arrays.sort(byIndex, (a, b) -> Integer.compare(ps.index[a], ps.index[b]));
        int[] rank = new int[p];
        for (int k = 0; k < p; k++) {
            rank[byIndex[k]] = k;
        }
        return rank;
    }
}
