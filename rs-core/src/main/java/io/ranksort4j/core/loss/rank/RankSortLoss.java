package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The Rank &amp; Sort loss (Oksuz et al., ICCV 2021) in the exact fast form of the note's §10: positives sorted
 * once, every negative binary-searched into them, window sums by compensated difference arrays and
 * prefix sums. Same values and identity-update gradient as the official code, in O(N log P + P²) time and
 * O(P) memory beyond the gradient; the negative passes run on all cores for large batches.
 */
public final class RankSortLoss implements ClassificationLoss {
    /** Below this many logits the work is too small to split across threads. */
    static final int PARALLEL_THRESHOLD = 1 << 17;

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
        int p = run(Scores.of(logits), Scores.of(targets), (i, v) -> grad[i] = (float) v, lrls);
        return new ClassificationLossResult(lrls[0] + lrls[1], grad, p, Map.of("ranking_loss", lrls[0], "sorting_loss", lrls[1]));
    }

    /** Double-precision entry point (tests, cross-checks). */
    public RankSortResult compute(double[] logits, double[] targets) {
        RankingInputs.check("rank_sort", Scores.of(logits), Scores.of(targets), true);
        double[] grad = new double[logits.length];
        double[] lrls = new double[2];
        int p = run(Scores.of(logits), Scores.of(targets), (i, v) -> grad[i] = v, lrls);
        return new RankSortResult(lrls[0], lrls[1], grad, p);
    }

    /** Where gradient values go (a float or a double array). */
    interface Sink {
        void set(int i, double v);
    }

    private int run(Scores s, Scores t, Sink grad, double[] lossOut) {
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

        double[] f = falsePositives(s, t, ps);

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

        negativeGradients(s, t, ps, negWeight, grad, p);

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

    /** F_i for every positive: each relevant negative adds 1 below its window and a linear term inside it. */
    private double[] falsePositives(Scores s, Scores t, PositiveSet ps) {
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
                out[i] += a[i] - kk * (ps.u[i] - ps.centre) / (2 * delta);
            }
        }
        return out;
    }

    /** The negatives' pass of F, split in halves across the fork-join pool. */
    private final class FpTask extends RecursiveAction {
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
            double twoDelta = 2 * delta;
            for (int j = from; j < to; j++) {
                double sj = s.get(j);
                if (sj < cut || t.get(j) != 0) {
                    continue;
                }
                int lo = ps.fullEnd(sj);
                fullEnds[lo]++;
                if (delta > 0) {
                    int hi = ps.windowEnd(sj, lo);
                    if (hi > lo) {
                        double v = (sj - ps.centre + delta) / twoDelta;
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
    private void negativeGradients(Scores s, Scores t, PositiveSet ps, double[] w, Sink grad, int p) {
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
                if (delta > 0) {
                    int hi = ps.windowEnd(sj, lo);
                    if (hi > lo) {
                        g += ((sj - ps.centre + delta) * (wPre[hi] - wPre[lo]) - (wuPre[hi] - wuPre[lo])) / (2 * delta);
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
