package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * The Rank &amp; Sort loss (Oksuz et al., ICCV 2021) in the exact fast form of the note's §10: positives sorted
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

        // Positive-positive sums (R+, current and target sorting sums, missorted mass).
        double[] rPlus = new double[p];
        double[] cur = new double[p];
        double[] tw = new double[p];
        double[] te = new double[p];
        double[] d = new double[p];
        for (int a = 0; a < p; a++) {
            double ua = u[a];
            double ya = y[a];
            double rp = 0, cu = 0, w = 0, e = 0, dd = 0;
            for (int k = 0; k < p; k++) {
                double h = SmoothStep.h(u[k] - ua, delta);
                if (h == 0) {
                    continue;
                }
                double err = 1 - y[k];
                rp += h;
                cu += h * err;
                if (y[k] >= ya) {
                    w += h;
                    e += h * err;
                } else {
                    dd += h;
                }
            }
            rPlus[a] = rp;
            cur[a] = cu;
            tw[a] = w;
            te[a] = e;
            d[a] = dd;
        }

        double[] f = NegativeSweep.falsePositives(s, t, ps);

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

        NegativeSweep.negativeGradients(s, t, ps, negWeight, grad, p);

        // Positives: own ranking and sorting pushes, plus sorting shares from higher-IoU positives.
        for (int k = 0; k < p; k++) {
            double g = -(f[k] > eps ? lR[k] : 0) - (d[k] > eps ? lS[k] : 0);
            for (int mIdx = 0; mIdx < p; mIdx++) {
                if (y[mIdx] > y[k] && d[mIdx] > eps) {
                    double h = SmoothStep.h(u[k] - u[mIdx], delta);
                    if (h != 0) {
                        g += h * lS[mIdx] / d[mIdx];
                    }
                }
            }
            grad.set(ps.index[k], g / p);
        }
        return p;
    }

}
