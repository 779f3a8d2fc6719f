package io.ranksort4j.core.loss.rank;

/** The ranking losses' smoothed step H(x): piecewise linear over [-δ, δ] for δ &gt; 0, the hard step [x ≥ 0] otherwise. */
public final class SmoothStep {
    private SmoothStep() {}

    public static double h(double x, double delta) {
        if (delta <= 0) {
            return x >= 0 ? 1.0 : 0.0;
        }
        double v = x / (2 * delta) + 0.5;
        return v <= 0 ? 0.0 : (v >= 1 ? 1.0 : v);
    }
}
