package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/** The AP loss (Chen et al., CVPR 2019) with its interpolated error-driven update, in the fast exact form. */
public final class ApLoss implements ClassificationLoss {
    private final double delta;

    public ApLoss(double delta) {
        this.delta = delta;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        RankingInputs.check("ap", Scores.of(logits), Scores.of(targets), false);
        float[] grad = new float[logits.length];
        double[] loss = new double[1];
        int p = run(Scores.of(logits), Scores.of(targets), (i, v) -> grad[i] = (float) v, loss);
        return new ClassificationLossResult(loss[0], grad, p, Map.of());
    }

    public ApResult compute(double[] logits, double[] targets) {
        RankingInputs.check("ap", Scores.of(logits), Scores.of(targets), false);
        double[] grad = new double[logits.length];
        double[] loss = new double[1];
        int p = run(Scores.of(logits), Scores.of(targets), (i, v) -> grad[i] = v, loss);
        return new ApResult(loss[0], grad, p);
    }

    private int run(Scores s, Scores t, NegativeSweep.Sink grad, double[] loss) {
        int count = PositiveSums.countOnes(t);
        if (count == 0) {
            return 0;
        }
        PositiveSet ps = new PositiveSet(s, t, count, v -> v == 1, delta);
        int p = ps.size();
        double[] rPlus = PositiveSums.rankAmongPositivesSelfOne(ps);
        int[] windows = NegativeSweep.windowCache(ps, s.length());
        double[] f = NegativeSweep.falsePositives(s, t, ps, windows);
        double[] negWeight = new double[p];
        double pi = 0;
        double sumPi = 0;
        for (int a = 0; a < p; a++) {
            double r = rPlus[a] + f[a];
            double prec = rPlus[a] / r;
            double w;
            if (prec >= pi) {
                pi = prec;
                w = 1;
            } else {
                w = (1 - pi) / (1 - prec);
            }
            sumPi += pi;
            negWeight[a] = w / r;
            grad.set(ps.index[a], -(1 - pi) / p);
        }
        loss[0] = 1 - sumPi / p;
        NegativeSweep.negativeGradients(s, t, ps, windows, negWeight, grad, p);
        return p;
    }
}
