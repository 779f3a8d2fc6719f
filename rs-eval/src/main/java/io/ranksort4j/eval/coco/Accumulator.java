package io.ranksort4j.eval.coco;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** pycocotools' {@code accumulate} (and lvis-api's), with oLRP computed from the same pooled lists. */
public final class Accumulator {
    private Accumulator() {}

    /**
     * @param perCategory for each category, its cells in ascending image order
     * @param maxDets per-image caps of the M axis ({@link Integer#MAX_VALUE} for none)
     * @param lrpM the M index oLRP is computed for, -1 for none
     */
    public static Accumulation accumulate(List<CellEval>[] perCategory, int areaCount, int[] maxDets, double[] iouThrs,
                                          double[] recThrs, int lrpM, ForkJoinPool pool) {
        int tN = iouThrs.length, rN = recThrs.length, kN = perCategory.length, aN = areaCount, mN = maxDets.length;
        double[] precision = new double[tN * rN * kN * aN * mN];
        double[] recall = new double[tN * kN * aN * mN];
        Arrays.fill(precision, -1);
        Arrays.fill(recall, -1);
        double[] olrp = new double[kN * aN];
        double[] loc = new double[kN * aN];
        double[] fpc = new double[kN * aN];
        double[] fnc = new double[kN * aN];
        double[] thr = new double[kN * aN];
        Arrays.fill(olrp, -1);
        Arrays.fill(loc, -1);
        Arrays.fill(fpc, -1);
        Arrays.fill(fnc, -1);
        Arrays.fill(thr, -1);
        double tau = iouThrs[0];
        Runnable work = () -> IntStream.range(0, kN).parallel().forEach(k -> {
            List<CellEval> cells = perCategory[k];
            if (cells == null || cells.isEmpty()) {
                return;
            }
            int nc = cells.size();
            for (int m = 0; m < mN; m++) {
                int cap = maxDets[m];
                int total = 0;
                for (CellEval c : cells) {
                    total += Math.min(cap, c.detections());
                }
                double[] scores = new double[total];
                int[] cellOf = new int[total];
                int[] posOf = new int[total];
                int p = 0;
                for (int ci = 0; ci < nc; ci++) {
                    CellEval c = cells.get(ci);
                    int n = Math.min(cap, c.detections());
                    for (int d = 0; d < n; d++) {
                        scores[p] = c.scores()[d];
                        cellOf[p] = ci;
                        posOf[p] = d;
                        p++;
                    }
                }
                int[] perm = Numerics.argsortDescendingStable(scores, total);
                double[] rc = new double[total];
                double[] pr = new double[total];
                for (int a = 0; a < aN; a++) {
                    int npig = 0;
                    for (CellEval c : cells) {
                        npig += c.nonIgnoredGt()[a];
                    }
                    if (npig == 0) {
                        continue;
                    }
                    for (int t = 0; t < tN; t++) {
                        long tp = 0, fp = 0;
                        for (int i = 0; i < total; i++) {
                            int s = perm[i];
                            CellEval c = cells.get(cellOf[s]);
                            byte st = c.state()[a][t * c.detections() + posOf[s]];
                            if (st == CellEval.TP) {
                                tp++;
                            } else if (st == CellEval.FP) {
                                fp++;
                            }
                            double dtp = tp;
                            rc[i] = dtp / npig;
                            pr[i] = dtp / ((double) fp + dtp + Numerics.EPS);
                        }
                        recall[((t * kN + k) * aN + a) * mN + m] = total > 0 ? rc[total - 1] : 0;
                        for (int i = total - 1; i > 0; i--) {
                            if (pr[i] > pr[i - 1]) {
                                pr[i - 1] = pr[i];
                            }
                        }
                        // searchsorted(rc, recThrs, 'left'); thresholds beyond the last recall stay 0
                        int i = 0;
                        for (int ri = 0; ri < rN; ri++) {
                            double r = recThrs[ri];
                            while (i < total && rc[i] < r) {
                                i++;
                            }
                            precision[(((t * rN + ri) * kN + k) * aN + a) * mN + m] = i < total ? pr[i] : 0;
                        }
                    }
                    if (m == lrpM) {
                        lrp(cells, perm, cellOf, posOf, scores, total, a, npig, tau, k * aN + a, olrp, loc, fpc, fnc, thr);
                    }
                }
            }
        });
        try {
            pool.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
        return new Accumulation(tN, rN, kN, aN, mN, precision, recall, olrp, loc, fpc, fnc, thr);
    }

    /** oLRP (Oksuz et al.) over the pooled list at the first IoU threshold: the first minimum over prefixes. */
    private static void lrp(List<CellEval> cells, int[] perm, int[] cellOf, int[] posOf, double[] scores, int total, int a,
                            int g, double tau, int out, double[] olrp, double[] loc, double[] fpc, double[] fnc, double[] thr) {
        double tp = 0, fp = 0, iouSum = 0;
        double best = Double.POSITIVE_INFINITY;
        double bestTp = 0, bestFp = 0, bestL = 0, bestScore = Double.NaN;
        for (int i = 0; i < total; i++) {
            int s = perm[i];
            CellEval c = cells.get(cellOf[s]);
            byte st = c.state()[a][posOf[s]];
            if (st == CellEval.TP) {
                tp += 1;
                iouSum += c.tpIou()[a][posOf[s]];
            } else if (st == CellEval.FP) {
                fp += 1;
            } else {
                continue;
            }
            double fn = g - tp;
            double l = tp - iouSum;
            double v = (l / (1 - tau) + fp + fn) / (tp + fp + fn);
            if (v < best) {
                best = v;
                bestTp = tp;
                bestFp = fp;
                bestL = l;
                bestScore = scores[s];
            }
        }
        if (tp == 0) {
            olrp[out] = 1;
            fnc[out] = 1;
            loc[out] = Double.NaN;
            fpc[out] = Double.NaN;
            thr[out] = Double.NaN;
            return;
        }
        olrp[out] = best;
        loc[out] = bestL / bestTp;
        fpc[out] = bestFp / (bestTp + bestFp);
        fnc[out] = (g - bestTp) / g;
        thr[out] = bestScore;
    }
}
