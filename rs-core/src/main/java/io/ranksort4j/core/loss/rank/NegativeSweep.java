package io.ranksort4j.core.loss.rank;


/**
 * The negatives' side of every ranking loss, in O(N log P): each relevant negative (target exactly 0, logit
 * above the relevance cut) is binary-searched into the sorted positives; F_i comes from compensated
 * difference arrays, and the negatives' gradients from prefix sums of per-positive weights. The first pass
 * remembers each negative's window (4 bytes a logit, the memory budget) so the second pass does not search.
 */
final class NegativeSweep {
    /** Below this many logits the work is too small to split across threads. */
    static final int PARALLEL_THRESHOLD = 1 << 17;

    private NegativeSweep() {}

    /** Where gradient values go (a float or a double array). */
    interface Sink {
        void set(int i, double v);
    }

    /** Window ends that fit in 16 bits each: below this many positives the first pass caches them. */
    private static final int PACKABLE = 1 << 15;

    /** A cache for the negatives' windows, or null when P is too large to pack two ends into an int. */
    static int[] windowCache(PositiveSet ps, int m) {
        return ps.size() < PACKABLE ? new int[m] : null;
    }

    /**
     * F_i for every positive: each relevant negative adds 1 below its window and a linear term inside it.
     * With a cache, records each logit's packed window (or −1 when it is no relevant negative).
     */
    static double[] falsePositives(Scores s, Scores t, PositiveSet ps, int[] cache) {
        int p = ps.size();
        int m = s.length();
        int parts = parts(m);
        Partial total = java.util.stream.IntStream.range(0, parts).parallel()
                .mapToObj(k -> Partial.of(s, t, ps, cache, (int) ((long) m * k / parts), (int) ((long) m * (k + 1) / parts)))
                .reduce(Partial::merge).orElseThrow();
        double[] a = total.windowSum.prefix();
        double[] out = new double[p];
        long ones = 0;
        for (int i = p; i >= 1; i--) {
            ones += total.fullEnds[i];
            out[i - 1] = ones;
        }
        long kk = 0;
        for (int i = 0; i < p; i++) {
            kk += total.windowCount[i];
            if (kk != 0) {
                out[i] += a[i] - kk * (ps.u[i] - ps.centre) / (2 * ps.delta);
            }
        }
        return out;
    }

    /** One slice of the negatives' pass of F: counts ending at each positive and compensated window sums. */
    private record Partial(long[] fullEnds, long[] windowCount, CompensatedArray windowSum) {
        static Partial of(Scores s, Scores t, PositiveSet ps, int[] cache, int from, int to) {
            int p = ps.size();
            Partial r = new Partial(new long[p + 1], new long[p + 1], new CompensatedArray(p + 1));
            double cut = ps.relevanceCut();
            double twoDelta = 2 * ps.delta;
            for (int j = from; j < to; j++) {
                double sj = s.get(j);
                if (sj < cut || t.get(j) != 0) {
                    if (cache != null) {
                        cache[j] = -1;
                    }
                    continue;
                }
                int lo = ps.fullEnd(sj);
                int hi = ps.windowEnd(sj, lo);
                if (cache != null) {
                    cache[j] = lo | hi << 16;
                }
                r.fullEnds[lo]++;
                if (ps.delta > 0) {
                    if (hi > lo) {
                        double v = (sj - ps.centre + ps.delta) / twoDelta;
                        r.windowSum.add(lo, v);
                        r.windowSum.add(hi, -v);
                        r.windowCount[lo]++;
                        r.windowCount[hi]--;
                    }
                }
            }
            return r;
        }

        Partial merge(Partial o) {
            for (int i = 0; i < fullEnds.length; i++) {
                fullEnds[i] += o.fullEnds[i];
                windowCount[i] += o.windowCount[i];
            }
            windowSum.addAll(o.windowSum);
            return this;
        }
    }

    /** Slices for the negatives' passes: one per core for large batches, one otherwise. */
    static int parts(int m) {
        return m >= PARALLEL_THRESHOLD ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /** g_j = (1/P) Σ_i w_i H(s_j − u_i) for every relevant negative, by prefix sums of w and w·(u − c). */
    static void negativeGradients(Scores s, Scores t, PositiveSet ps, int[] cache, double[] w, Sink grad, int p) {
        int n = ps.size();
        double[] wPre = new double[n + 1];
        double[] wuPre = new double[n + 1];
        for (int i = 0; i < n; i++) {
            wPre[i + 1] = wPre[i] + w[i];
            wuPre[i + 1] = wuPre[i] + w[i] * (ps.u[i] - ps.centre);
        }
        int m = s.length();
        double cut = ps.relevanceCut();
        int parts = parts(m);
        java.util.stream.IntStream.range(0, parts).parallel().forEach(k -> {
            int from = (int) ((long) m * k / parts);
            int to = (int) ((long) m * (k + 1) / parts);
            for (int j = from; j < to; j++) {
                double sj = s.get(j);
                int lo;
                int hi;
                if (cache != null) {
                    int c = cache[j];
                    if (c < 0) {
                        continue;
                    }
                    lo = c & 0xFFFF;
                    hi = c >>> 16;
                } else {
                    if (sj < cut || t.get(j) != 0) {
                        continue;
                    }
                    lo = ps.fullEnd(sj);
                    hi = ps.windowEnd(sj, lo);
                }
                double g = wPre[lo];
                if (ps.delta > 0) {
                    if (hi > lo) {
                        g += ((sj - ps.centre + ps.delta) * (wPre[hi] - wPre[lo]) - (wuPre[hi] - wuPre[lo])) / (2 * ps.delta);
                    }
                }
                if (g != 0) {
                    grad.set(j, g / p);
                }
            }
        });
    }
}
