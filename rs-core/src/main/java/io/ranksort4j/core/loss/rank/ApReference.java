package io.ranksort4j.core.loss.rank;

import java.util.Arrays;
import java.util.stream.IntStream;

/** The definitional O(P·N) AP loss (Chen et al. 2019, as in the RS repository); the test reference for {@link ApLoss}. */
public final class ApReference {
    private final double delta;

    public ApReference(double delta) {
        this.delta = delta;
    }

    public ApResult compute(double[] s, double[] t) {
        RankingInputs.check("ap", Scores.of(s), Scores.of(t), false);
        int m = s.length;
        double[] g = new double[m];
        Integer[] pos = IntStream.range(0, m).filter(i -> t[i] == 1).boxed().toArray(Integer[]::new);
        if (pos.length == 0) {
            return new ApResult(0, g, 0);
        }
        Arrays.sort(pos, (a, b) -> Double.compare(s[a], s[b]));
        double cut = s[pos[0]] - delta;
        int[] neg = IntStream.range(0, m).filter(j -> t[j] == 0 && s[j] >= cut).toArray();
        int p = pos.length;
        double pi = 0;
        double sumPi = 0;
        for (int i : pos) {
            double rPlus = 1;
            for (int k : pos) {
                if (k != i) {
                    rPlus += SmoothStep.h(s[k] - s[i], delta);
                }
            }
            double f = 0;
            for (int j : neg) {
                f += SmoothStep.h(s[j] - s[i], delta);
            }
            double r = rPlus + f;
            double prec = rPlus / r;
            double w;
            if (prec >= pi) {
                pi = prec;
                w = 1;
            } else {
                w = (1 - pi) / (1 - prec);
            }
            sumPi += pi;
            g[i] -= (1 - pi) / p;
            for (int j : neg) {
                g[j] += SmoothStep.h(s[j] - s[i], delta) * w / r / p;
            }
        }
        return new ApResult(1 - sumPi / p, g, p);
    }
}
