package io.ranksort4j.core.loss.rank;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The negatives' side of every ranking loss, in O(N log P): each relevant negative (target exactly 0, logit
 * above the relevance cut) is binary-searched into the sorted positives; F_i comes from compensated
 * difference arrays, and the negatives' gradients from prefix sums of per-positive weights.
 */
final class NegativeSweep {
    /** Below this many logits the work is too small to split across threads. */
    static final int PARALLEL_THRESHOLD = 1 << 17;

    private NegativeSweep() {}

    /** Where gradient values go (a float or a double array). */
    interface Sink {
        void set(int i, double v);
    }

    /** F_i for every positive: each relevant negative adds 1 below its window and a linear term inside it. */
    static double[] falsePositives(Scores s, Scores t, PositiveSet ps) {
        int p = ps.size();
        int m = s.length();
        FpTask root = new FpTask(s, t, ps, 0, m);
        if (m >= PARALLEL_THRESHOLD) {
            ForkJoinPool.commonPool().invoke(root);
        } else {
            root.compute();
        }
        long[] full = root.fullEnds;
        long[] k = root.windowCount;
        double[] a = root.windowSum.prefix();
        double[] out = new double[p];
        long ones = 0;
        for (int i = p; i >= 1; i--) {
            ones += full[i];
            out[i - 1] = ones;
        }
        long kk = 0;
        for (int i = 0; i < p; i++) {
            kk += k[i];
            if (kk != 0) {
                out[i] += a[i] - kk * (ps.u[i] - ps.centre) / (2 * ps.delta);
            }
        }
        return out;
    }

    /** The negatives' pass of F, split in halves across the fork-join pool. */
    private static final class FpTask extends RecursiveAction {
        final Scores s;
        final Scores t;
        final PositiveSet ps;
        final int from;
        final int to;
        long[] fullEnds;
        long[] windowCount;
        CompensatedArray windowSum;

        FpTask(Scores s, Scores t, PositiveSet ps, int from, int to) {
            this.s = s;
            this.t = t;
            this.ps = ps;
            this.from = from;
            this.to = to;
        }

        @Override
        protected void compute() {
            if (to - from > PARALLEL_THRESHOLD && getPool() != null && getPool().getParallelism() > 1) {
                int mid = (from + to) >>> 1;
                FpTask left = new FpTask(s, t, ps, from, mid);
                FpTask right = new FpTask(s, t, ps, mid, to);
                invokeAll(left, right);
                fullEnds = left.fullEnds;
                windowCount = left.windowCount;
                windowSum = left.windowSum;
                for (int i = 0; i < fullEnds.length; i++) {
                    fullEnds[i] += right.fullEnds[i];
                    windowCount[i] += right.windowCount[i];
                }
                windowSum.addAll(right.windowSum);
                return;
            }
            int p = ps.size();
            fullEnds = new long[p + 1];
            windowCount = new long[p + 1];
            windowSum = new CompensatedArray(p + 1);
            double cut = ps.relevanceCut();
            double twoDelta = 2 * ps.delta;
            for (int j = from; j < to; j++) {
                double sj = s.get(j);
                if (sj < cut || t.get(j) != 0) {
                    continue;
                }
                int lo = ps.fullEnd(sj);
                fullEnds[lo]++;
                if (ps.delta > 0) {
                    int hi = ps.windowEnd(sj, lo);
                    if (hi > lo) {
                        double v = (sj - ps.centre + ps.delta) / twoDelta;
                        windowSum.add(lo, v);
                        windowSum.add(hi, -v);
                        windowCount[lo]++;
                        windowCount[hi]--;
                    }
                }
            }
        }
    }

    /** g_j = (1/P) Σ_i w_i H(s_j − u_i) for every relevant negative, by prefix sums of w and w·(u − c). */
    static void negativeGradients(Scores s, Scores t, PositiveSet ps, double[] w, Sink grad, int p) {
        int n = ps.size();
        double[] wPre = new double[n + 1];
        double[] wuPre = new double[n + 1];
        for (int i = 0; i < n; i++) {
            wPre[i + 1] = wPre[i] + w[i];
            wuPre[i + 1] = wuPre[i] + w[i] * (ps.u[i] - ps.centre);
        }
        int m = s.length();
        double cut = ps.relevanceCut();
        Runnable[] parts = split(m, (from, to) -> {
            for (int j = from; j < to; j++) {
                double sj = s.get(j);
                if (sj < cut || t.get(j) != 0) {
                    continue;
                }
                int lo = ps.fullEnd(sj);
                double g = wPre[lo];
                if (ps.delta > 0) {
                    int hi = ps.windowEnd(sj, lo);
                    if (hi > lo) {
                        g += ((sj - ps.centre + ps.delta) * (wPre[hi] - wPre[lo]) - (wuPre[hi] - wuPre[lo])) / (2 * ps.delta);
                    }
                }
                if (g != 0) {
                    grad.set(j, g / p);
                }
            }
        });
        runAll(parts);
    }

    interface RangeBody {
        void run(int from, int to);
    }

    static Runnable[] split(int m, RangeBody body) {
        int threads = m >= PARALLEL_THRESHOLD ? Math.max(1, ForkJoinPool.getCommonPoolParallelism()) : 1;
        Runnable[] parts = new Runnable[threads];
        for (int k = 0; k < threads; k++) {
            int from = (int) ((long) m * k / threads);
            int to = (int) ((long) m * (k + 1) / threads);
            parts[k] = () -> body.run(from, to);
        }
        return parts;
    }

    static void runAll(Runnable[] parts) {
        if (parts.length == 1) {
            parts[0].run();
            return;
        }
        java.util.concurrent.CompletableFuture<?>[] fs = new java.util.concurrent.CompletableFuture<?>[parts.length];
        for (int i = 0; i < parts.length; i++) {
            fs[i] = java.util.concurrent.CompletableFuture.runAsync(parts[i], ForkJoinPool.commonPool());
        }
        java.util.concurrent.CompletableFuture.allOf(fs).join();
    }
}
