package io.ranksort4j.core.loss.rank;

/**
 * Fenwick trees over the positives' score ranks holding, per inserted positive, a weight w and w·(u − c).
 * A query at value a returns Σ_inserted w · H(a − u) (or H(u − a)) by the building block of docs/losses.md §10: full weight
 * on one side of the window, the linear part inside it. Used for the IoU-conditioned sums (offline dominance sweeps).
 */
final class WindowFenwick {
    private final PositiveSet ps;
    private final double[] w;
    private final double[] wu;

    WindowFenwick(PositiveSet ps) {
        this.ps = ps;
        this.w = new double[ps.size() + 1];
        this.wu = new double[ps.size() + 1];
    }

    void insert(int rank, double weight) {
        double x = weight * (ps.u[rank] - ps.centre);
        for (int i = rank + 1; i < w.length; i += i & -i) {
            w[i] += weight;
            wu[i] += x;
        }
    }

    /** Σ of (w, w·(u − c)) over ranks [0, end). */
    private double prefixW(int end) {
        double s = 0;
        for (int i = end; i > 0; i -= i & -i) {
            s += w[i];
        }
        return s;
    }

    private double prefixWu(int end) {
        double s = 0;
        for (int i = end; i > 0; i -= i & -i) {
            s += wu[i];
        }
        return s;
    }

    /** Σ_inserted w · H(u − a): how much the inserted positives rank above a score a. */
    double above(double a) {
        double delta = ps.delta;
        if (delta <= 0) {
            int from = ps.lowerBound(a, 0); // u ≥ a
            return prefixW(w.length - 1) - prefixW(from);
        }
        int winStart = ps.upperBound(a - delta); // u > a − δ
        int full = ps.lowerBound(a + delta, winStart); // u ≥ a + δ
        double total = prefixW(w.length - 1);
        double fullW = total - prefixW(full);
        double winW = prefixW(full) - prefixW(winStart);
        double winWu = prefixWu(full) - prefixWu(winStart);
        // H(u − a) = ((u − c) − (a − δ − c)) / 2δ inside the window
        return fullW + (winWu - (a - delta - ps.centre) * winW) / (2 * delta);
    }

    /** Σ_inserted w · H(a − u): how much a score a ranks above the inserted positives. */
    double below(double a) {
        double delta = ps.delta;
        if (delta <= 0) {
            return prefixW(ps.upperBound(a)); // u ≤ a
        }
        int full = ps.upperBound(a - delta); // u ≤ a − δ
        int winEnd = ps.lowerBound(a + delta, full); // u < a + δ
        double winW = prefixW(winEnd) - prefixW(full);
        double winWu = prefixWu(winEnd) - prefixWu(full);
        return prefixW(full) + ((a + delta - ps.centre) * winW - winWu) / (2 * delta);
    }
}
