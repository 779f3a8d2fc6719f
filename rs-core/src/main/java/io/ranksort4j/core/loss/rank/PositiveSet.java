package io.ranksort4j.core.loss.rank;

import java.util.Arrays;

/**
 * The positives of a ranking problem sorted by logit, with the window queries of the building block of docs/losses.md §10:
 * for a query value a, the index ranges of positives with u ≤ a − δ (H(a − u) = 1) and a − δ &lt; u &lt; a + δ
 * (H linear), found by binary search.
 */
final class PositiveSet {
    final int[] index;   // flattened index of each positive, in ascending logit order
    final double[] u;    // ascending logits
    final double[] y;    // targets (IoU or 1) in the same order
    final double centre; // keeps prefix sums of (u - centre) small
    final double delta;

    PositiveSet(Scores s, Scores t, int count, java.util.function.DoublePredicate isPositive, double delta) {
        this.delta = delta;
        int m = s.length();
        long[] keyed = new long[count];
        double[] vals = new double[count];
        int n = 0;
        for (int i = 0; i < m; i++) {
            if (isPositive.test(t.get(i))) {
                vals[n] = s.get(i);
                keyed[n] = i;
                n++;
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // Stable: tied logits keep flattened order, which decides aLRP's localisation order as torch's sort would not.
        Arrays.sort(order, (a, b) -> Double.compare(vals[a], vals[b]));
        index = new int[n];
        u = new double[n];
        y = new double[n];
        for (int r = 0; r < n; r++) {
            index[r] = (int) keyed[order[r]];
            u[r] = vals[order[r]];
            y[r] = t.get(index[r]);
        }
        centre = n == 0 ? 0 : u[n / 2];
        buildBuckets();
    }

    // A uniform grid over the positives' range: each cell knows which positives it spans, so a search only
    // bisects the few positives of one cell instead of all P (most negatives cluster near the prior).
    private int[] cellStart;
    private double gridLo;
    private double gridInv;

    private void buildBuckets() {
        int n = u.length;
        if (n < 16) {
            return;
        }
        int cells = Integer.highestOneBit(n) * 4;
        gridLo = u[0];
        double span = u[n - 1] - u[0];
        if (!(span > 0)) {
            return;
        }
        gridInv = cells / span;
        cellStart = new int[cells + 2];
        int k = 0;
        for (int c = 0; c <= cells + 1; c++) {
            double edge = gridLo + c / gridInv;
            while (k < n && u[k] < edge) {
                k++;
            }
            cellStart[c] = k;
        }
    }

    /** Index range [from, to) that surely contains the answer of a search for v (one cell of slack each side). */
    private long range(double v) {
        if (cellStart == null) {
            return u.length;
        }
        double x = (v - gridLo) * gridInv;
        if (x < 0) {
            return 0; // below every positive: the answer is the search's own lower limit
        }
        int cells = cellStart.length - 2;
        if (x >= cells) {
            return ((long) cellStart[cells - 1] << 32) | u.length;
        }
        int c = (int) x;
        int from = cellStart[Math.max(c - 1, 0)];
        int to = cellStart[Math.min(c + 2, cells + 1)];
        return ((long) from << 32) | to;
    }

    int size() {
        return u.length;
    }

    /** Number of positives with u ≤ a − δ (δ &gt; 0), or u ≤ a (hard step): those with H(a − u) = 1. */
    int fullEnd(double a) {
        return upperBound(delta > 0 ? a - delta : a);
    }

    /** End of the linear window: positives with u &lt; a + δ (δ &gt; 0); equals {@link #fullEnd} for the hard step. */
    int windowEnd(double a, int fullEnd) {
        return delta > 0 ? lowerBound(a + delta, fullEnd) : fullEnd;
    }

    /** First index with u &gt; v. */
    int upperBound(double v) {
        long r = range(v);
        int lo = (int) (r >>> 32);
        int hi = (int) r;
        if (hi - lo <= 8) {
            while (lo < hi && u[lo] <= v) {
                lo++;
            }
            return lo;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u[mid] <= v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** First index ≥ from with u ≥ v. */
    int lowerBound(double v, int from) {
        long r = range(v);
        int lo = Math.max(from, (int) (r >>> 32));
        int hi = Math.max(lo, (int) r);
        if (hi - lo <= 8) {
            while (lo < hi && u[lo] < v) {
                lo++;
            }
            return lo;
        }
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (u[mid] < v) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Smallest logit a negative may have and still rank above some positive: the relevance cut of docs/losses.md §1. */
    double relevanceCut() {
        return u[0] - Math.max(delta, 0);
    }
}
