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
        int maxCap = 0;
        for (int md : maxDets) {
            maxCap = Math.max(maxCap, md);
        }
        final int fullCap = maxCap;
        Runnable work = () -> IntStream.range(0, kN).parallel().forEach(k -> {
            List<CellEval> cells = perCategory[k];
            if (cells == null || cells.isEmpty()) {
                return;
            }
            // Sorting the pool once suffices: a smaller cap drops elements, and a stable sort of the rest
            // keeps the relative order they have in the full sort.
            int total = 0;
            for (CellEval c : cells) {
                total += Math.min(fullCap, c.detections());
            }
            double[] scores = new double[total];
            int p = 0;
            for (CellEval c : cells) {
                int n = Math.min(fullCap, c.detections());
                System.arraycopy(c.scores(), 0, scores, p, n);
                p += n;
            }
            int[] perm = Numerics.argsortDescendingStable(scores, total);
            int[] start = new int[cells.size()];
            int[] cellAt = new int[total];
            for (int ci = 0, q = 0; ci < cells.size(); ci++) {
                start[ci] = q;
                int n = Math.min(fullCap, cells.get(ci).detections());
                for (int d = 0; d < n; d++) {
                    cellAt[q++] = ci;
                }
            }
            // gather states and TP IoUs in sorted order, one cell lookup per detection
            int[] pos = new int[total];
            double[] sortedScore = new double[total];
            byte[] st = new byte[aN * tN * total];
            double[] tpIou = lrpM >= 0 ? new double[aN * total] : null;
            for (int i = 0; i < total; i++) {
                int s = perm[i];
                CellEval c = cells.get(cellAt[s]);
                int d = s - start[cellAt[s]];
                int dn = c.detections();
                pos[i] = d;
                sortedScore[i] = scores[s];
                byte[] cs = c.state();
                int row = i * aN * tN;
                for (int at = 0; at < aN * tN; at++) {
                    st[row + at] = cs[at * dn + d];
                }
                if (tpIou != null) {
                    double[] ci = c.tpIou();
                    for (int a = 0; a < aN; a++) {
                        tpIou[a * total + i] = ci[a * dn + d];
                    }
                }
            }
            // Only TP positions matter: recall rises only there, and between two TPs precision only falls,
            // so the envelope at the c-th TP is the max of the precisions at TPs c, c+1, ...
            double[] prTp = new double[total + 2];
            int[] npigs = new int[aN];
            for (CellEval c : cells) {
                for (int a = 0; a < aN; a++) {
                    npigs[a] += c.nonIgnoredGt()[a];
                }
            }
            for (int m = 0; m < mN; m++) {
                int cap = maxDets[m];
                for (int a = 0; a < aN; a++) {
                    int npig = npigs[a];
                    if (npig == 0) {
                        continue;
                    }
                    for (int t = 0; t < tN; t++) {
                        long tp = 0, fp = 0;
                        int nd = 0;
                        int at = a * tN + t;
                        int stride = aN * tN;
                        for (int i = 0; i < total; i++) {
                            if (pos[i] >= cap) {
                                continue;
                            }
                            nd++;
                            byte v = st[i * stride + at];
                            if (v == CellEval.TP) {
                                tp++;
                                double dtp = tp;
                                prTp[(int) tp] = dtp / ((double) fp + dtp + Numerics.EPS);
                            } else if (v == CellEval.FP) {
                                fp++;
                            }
                        }
                        int nTp = (int) tp;
                        recall[((t * kN + k) * aN + a) * mN + m] = nd > 0 ? (double) tp / npig : 0;
                        prTp[nTp + 1] = 0;
                        for (int c = nTp - 1; c >= 1; c--) {
                            if (prTp[c + 1] > prTp[c]) {
                                prTp[c] = prTp[c + 1];
                            }
                        }
                        // searchsorted(rc, recThrs, 'left') with rc = tp / npig: the first position whose TP count
                        // reaches the smallest c with c / npig >= r; thresholds no position reaches stay 0
                        int c = 0;
                        for (int ri = 0; ri < rN; ri++) {
                            double r = recThrs[ri];
                            while (c <= nTp && (double) c / npig < r) {
                                c++;
                            }
                            double q;
                            if (c > nTp || nd == 0) {
                                q = 0;
                            } else if (c == 0) {
                                q = nTp > 0 ? prTp[1] : 0;
                            } else {
                                q = prTp[c];
                            }
                            precision[(((t * rN + ri) * kN + k) * aN + a) * mN + m] = q;
                        }
                    }
                    if (m == lrpM) {
                        lrp(st, tpIou, pos, sortedScore, total, tN, aN * tN, a, cap, npig, tau, k * aN + a, olrp, loc, fpc, fnc, thr);
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
    private static void lrp(byte[] st, double[] tpIou, int[] pos, double[] scores, int total, int tN, int stride, int a, int cap, int g, double tau,
                            int out, double[] olrp, double[] loc, double[] fpc, double[] fnc, double[] thr) {
        double tp = 0, fp = 0, iouSum = 0;
        double best = Double.POSITIVE_INFINITY;
        double bestTp = 0, bestFp = 0, bestL = 0, bestScore = Double.NaN;
        for (int i = 0; i < total; i++) {
            if (pos[i] >= cap) {
                continue;
            }
            byte v = st[i * stride + a * tN];
            if (v == CellEval.TP) {
                tp += 1;
                iouSum += tpIou[a * total + i];
            } else if (v == CellEval.FP) {
                fp += 1;
            } else {
                continue;
            }
            double fn = g - tp;
            double l = tp - iouSum;
            double val = (l / (1 - tau) + fp + fn) / (tp + fp + fn);
            if (val < best) {
                best = val;
                bestTp = tp;
                bestFp = fp;
                bestL = l;
                bestScore = scores[i];
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
