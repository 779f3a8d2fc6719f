package io.ranksort4j.core.loss.rank;

import java.util.Arrays;
import java.util.stream.IntStream;

/** The definitional O(P·N) aLRP loss (Oksuz et al., NeurIPS 2020); the test reference for {@link AlrpLoss}. */
public final class AlrpReference {
    private final double delta;
    private final double eps;

    public AlrpReference(double delta, double eps) {
        this.delta = delta;
        this.eps = eps;
    }

    /** {@code e}: one localisation error per positive, in flattened order. SB weight is reported as 1. */
    public AlrpResult compute(double[] s, double[] t, double[] e) {
        RankingInputs.check("alrp", Scores.of(s), Scores.of(t), false);
        int m = s.length;
        double[] g = new double[m];
        int[] pos = IntStream.range(0, m).filter(i -> t[i] == 1).toArray();
        AlrpLoss.checkRegression(e, pos.length);
        int p = pos.length;
        if (p == 0) {
            return new AlrpResult(0, 0, g, new double[0], 0, 1);
        }
        double min = Arrays.stream(pos).mapToDouble(i -> s[i]).min().orElseThrow();
        int[] neg = IntStream.range(0, m).filter(j -> t[j] == 0 && s[j] >= min - delta).toArray();
        double[] r = new double[p];
        double cls = 0;
        for (int a = 0; a < p; a++) {
            int i = pos[a];
            double rPlus = 1;
            double above = 0;
            for (int b = 0; b < p; b++) {
                if (b != a) {
                    double h = SmoothStep.h(s[pos[b]] - s[i], delta);
                    rPlus += h;
                    above += h * e[b];
                }
            }
            double f = 0;
            for (int j : neg) {
                f += SmoothStep.h(s[j] - s[i], delta);
            }
            r[a] = rPlus + f;
            cls += f / r[a];
            if (f > eps) {
                double err = (above + f) / r[a];
                g[i] -= err / p;
                for (int j : neg) {
                    g[j] += SmoothStep.h(s[j] - s[i], delta) * err / f / p;
                }
            }
        }
        // Localisation: positives in descending logit order (the flipped stable ascending sort).
        Integer[] asc = IntStream.range(0, p).boxed().toArray(Integer[]::new);
        Arrays.sort(asc, (a, b) -> Double.compare(s[pos[a]], s[pos[b]]));
        double cum = 0;
        double loc = 0;
        double[] locGrad = new double[p];
        for (int q = p - 1; q >= 0; q--) {
            int a = asc[q];
            cum += e[a];
            loc += cum / r[a];
        }
        for (int q = p - 1; q >= 0; q--) {
            int k = asc[q];
            double acc = 0;
            for (int q2 = q; q2 >= 0; q2--) {
                acc += 1 / r[asc[q2]];
            }
            locGrad[k] = acc / p;
        }
        return new AlrpResult(cls / p, loc / p, g, locGrad, p, 1);
    }
}
