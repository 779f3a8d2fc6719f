package io.ranksort4j.detectors.assign;

/**
 * A two-component 1-D Gaussian mixture fitted by EM exactly as scikit-learn's {@code GaussianMixture(2,
 * covariance_type='diag', weights_init, means_init, precisions_init, reg_covar)} fits it, the way PAA calls it.
 *
 * <p>Why not Commons Math's {@code MultivariateNormalMixtureExpectationMaximization}: it rejects data with fewer
 * than two columns (PAA's scores are 1-D), it has no {@code reg_covar} (sklearn adds it to every variance in every
 * M-step, which changes the iterates and keeps a component whose samples are all equal from collapsing, where
 * Commons Math throws {@code SingularMatrixException}), and its stopping rule and start differ (sklearn stops when
 * the mean log-likelihood changes by less than {@code tol} and starts from the given weights, means and precisions,
 * not from data). The step below follows sklearn 1.9's {@code _e_step}/{@code _m_step} term for term, including the
 * {@code 10·eps} added to each component's responsibility sum, the expanded form of the squared distance and, for
 * PAA's float32 losses, numpy squaring them in float32.
 */
public final class GaussianMixture1d {
    private static final double LOG_2PI = Math.log(2 * Math.PI);

    /** Fitted parameters (component 0 started at the smallest score, 1 at the largest) and how the fit ended. */
    public record Fit(double[] weights, double[] means, double[] variances, int iterations, boolean converged, double lowerBound,
                      boolean float32Data) {
        /** The component with the larger weighted log-density (sklearn's predict; ties go to component 0). */
        public int predict(double x) {
            return weightedLogProb(x, 1) > weightedLogProb(x, 0) ? 1 : 0;
        }

        /** log p(x) under the mixture (sklearn's score_samples). */
        public double scoreSample(double x) {
            return logSumExp(weightedLogProb(x, 0), weightedLogProb(x, 1));
        }

        double weightedLogProb(double x, int k) {
            return logGauss(x, square(x, float32Data), means[k], means[k] * means[k], 1 / Math.sqrt(variances[k])) + Math.log(weights[k]);
        }
    }

    /**
     * The fit's settings: sklearn's reg_covar, tol and max_iter, the eps of the responsibilities' float type, and
     * whether the data are float32 (numpy then squares them in float32; everything else is promoted to float64).
     */
    public record Settings(double regCovar, double tol, int maxIter, double eps, boolean float32Data) {
        /**
         * As PAA calls sklearn: reg_covar 1e-5, sklearn's tol 1e-3 and max_iter 100, on float32 losses. The float64
         * initial precisions make the responsibilities float64, so eps is float64's.
         */
        public static final Settings PAA = new Settings(1e-5, 1e-3, 100, Math.ulp(1.0), true);

        /** The same on float64 data. */
        public Settings float64() {
            return new Settings(regCovar, tol, maxIter, eps, false);
        }
    }

    private GaussianMixture1d() {}

    /**
     * Fits from weights (0.5, 0.5), means (min, max) of {@code x} and precisions (1, 1), as mmdetection's
     * paa_reassign initialises it. Needs at least two samples.
     */
    public static Fit fitPaa(double[] x, Settings s) {
        if (x.length < 2) {
            throw new IllegalArgumentException("a two-component mixture needs at least 2 samples; got " + x.length);
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return fit(x, new double[] {0.5, 0.5}, new double[] {min, max}, new double[] {1, 1}, s);
    }

    /** EM from the given start until the mean log-likelihood changes by less than tol, or max_iter steps. */
    public static Fit fit(double[] x, double[] weights, double[] means, double[] precisions, Settings s) {
        int n = x.length;
        double[] w = weights.clone();
        double[] mu = means.clone();
        double[] precChol = {Math.sqrt(precisions[0]), Math.sqrt(precisions[1])};
        double[] var = {1 / precisions[0], 1 / precisions[1]};
        double[] r0 = new double[n];
        double[] r1 = new double[n];
        double[] xx = new double[n];
        for (int i = 0; i < n; i++) {
            xx[i] = square(x[i], s.float32Data());
        }
        double lower = Double.NEGATIVE_INFINITY;
        boolean converged = false;
        int iter = 0;
        for (iter = 1; iter <= s.maxIter(); iter++) {
            double prev = lower;
            // E-step. PAA's means_init holds float32 values, so numpy squares them in float32 the first time.
            double[] mu2 = {square(mu[0], iter == 1 && s.float32Data()), square(mu[1], iter == 1 && s.float32Data())};
            double sumNorm = 0;
            for (int i = 0; i < n; i++) {
                double a = logGauss(x[i], xx[i], mu[0], mu2[0], precChol[0]) + Math.log(w[0]);
                double b = logGauss(x[i], xx[i], mu[1], mu2[1], precChol[1]) + Math.log(w[1]);
                double norm = logSumExp(a, b);
                sumNorm += norm;
                r0[i] = Math.exp(a - norm);
                r1[i] = Math.exp(b - norm);
            }
            double meanNorm = sumNorm / n;
            // M-step
            double nk0 = 10 * s.eps();
            double nk1 = 10 * s.eps();
            double sx0 = 0;
            double sx1 = 0;
            double sxx0 = 0;
            double sxx1 = 0;
            for (int i = 0; i < n; i++) {
                nk0 += r0[i];
                nk1 += r1[i];
                sx0 += r0[i] * x[i];
                sx1 += r1[i] * x[i];
                sxx0 += r0[i] * xx[i];
                sxx1 += r1[i] * xx[i];
            }
            mu[0] = sx0 / nk0;
            mu[1] = sx1 / nk1;
            var[0] = sxx0 / nk0 - mu[0] * mu[0] + s.regCovar();
            var[1] = sxx1 / nk1 - mu[1] * mu[1] + s.regCovar();
            if (!(var[0] > 0) || !(var[1] > 0)) {
                throw new IllegalStateException("Gaussian mixture: a component's variance is not positive (" + var[0] + ", " + var[1]
                        + "); increase reg_covar");
            }
            w[0] = nk0 / (nk0 + nk1);
            w[1] = nk1 / (nk0 + nk1);
            precChol[0] = 1 / Math.sqrt(var[0]);
            precChol[1] = 1 / Math.sqrt(var[1]);
            // sklearn's lower bound is the mean log-likelihood of the E-step that preceded this M-step
            lower = meanNorm;
            if (Math.abs(lower - prev) < s.tol()) {
                converged = true;
                break;
            }
        }
        return new Fit(w, mu, var, Math.min(iter, s.maxIter()), converged, lower, s.float32Data());
    }

    /** sklearn's diag log-density: −½(log 2π + μ²p − 2xμp + x²p) + log √p, with p = precChol² and x², μ² given. */
    static double logGauss(double x, double xx, double mu, double mu2, double precChol) {
        double p = precChol * precChol;
        return -0.5 * (LOG_2PI + (mu2 * p - 2.0 * (x * (mu * p)) + xx * p)) + Math.log(precChol);
    }

    private static double square(double x, boolean float32) {
        return float32 ? (float) ((float) x * (float) x) : x * x;
    }

    static double logSumExp(double a, double b) {
        double m = Math.max(a, b);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }
}
