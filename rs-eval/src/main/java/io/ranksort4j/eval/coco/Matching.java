package io.ranksort4j.eval.coco;

/**
 * pycocotools' {@code evaluateImg} (and lvis-api's {@code evaluate_img}): greedy matching per IoU
 * threshold with the reference's tie, crowd and ignore rules.
 */
public final class Matching {
    private Matching() {}

    /** One cell's inputs; detections already sorted by descending score and capped. */
    public record Cell(int imageIndex, double[] dtScore, double[] dtArea, boolean[] dtExtraIgnore,
                       long[] gtId, double[] gtArea, boolean[] gtCrowd, boolean[] gtIgnoreBase, double[] iou) {}

    /**
     * Matches a cell for every area range.
     *
     * @param crowdAbsorbs COCO: crowd GT may match any number of detections; LVIS: false
     */
    public static CellEval match(Cell c, double[][] areaRanges, double[] iouThrs, boolean crowdAbsorbs) {
        int dN = c.dtScore().length;
        int gN = c.gtId().length;
        int tN = iouThrs.length;
        int aN = areaRanges.length;
        byte[] state = new byte[aN * tN * dN];
        int[] npig = new int[aN];
        double[] tpIou = new double[aN * dN];
        boolean[] gIg = new boolean[gN];
        int[] order = new int[gN];
        boolean[] gtm = new boolean[gN];
        boolean[] dtOut = new boolean[dN];
        double[] iou = c.iou();
        for (int a = 0; a < aN; a++) {
            double lo = areaRanges[a][0], hi = areaRanges[a][1];
            int n = 0;
            for (int g = 0; g < gN; g++) {
                double ar = c.gtArea()[g];
                gIg[g] = c.gtIgnoreBase()[g] || ar < lo || ar > hi;
                if (!gIg[g]) {
                    order[n++] = g;
                }
            }
            npig[a] = n;
            for (int g = 0; g < gN; g++) {
                if (gIg[g]) {
                    order[n++] = g;
                }
            }
            for (int d = 0; d < dN; d++) {
                double ar = c.dtArea()[d];
                dtOut[d] = ar < lo || ar > hi || (c.dtExtraIgnore() != null && c.dtExtraIgnore()[d]);
            }
            int stBase = a * tN * dN;
            for (int t = 0; t < tN; t++) {
                java.util.Arrays.fill(gtm, false);
                double thr = Math.min(iouThrs[t], 1 - 1e-10);
                for (int d = 0; d < dN; d++) {
                    double best = thr;
                    int m = -1;
                    int row = d * gN;
                    for (int gi = 0; gi < gN; gi++) {
                        int g = order[gi];
                        if (gtm[gi] && !(crowdAbsorbs && c.gtCrowd()[g])) {
                            continue;
                        }
                        if (m > -1 && !gIg[order[m]] && gIg[g]) {
                            break;
                        }
                        double v = iou[row + g];
                        if (v < best) {
                            continue;
                        }
                        best = v;
                        m = gi;
                    }
                    byte s;
                    if (m == -1) {
                        s = dtOut[d] ? CellEval.IGNORED : CellEval.FP;
                    } else {
                        gtm[m] = true;
                        int g = order[m];
                        long gid = c.gtId()[g];
                        boolean ig = gIg[g];
                        // the reference records matches as ids with 0 for "none": GT id 0 looks unmatched
                        if (gid == 0) {
                            ig |= dtOut[d];
                        }
                        s = ig ? CellEval.IGNORED : gid != 0 ? CellEval.TP : CellEval.FP;
                        if (t == 0 && s == CellEval.TP) {
                            tpIou[a * dN + d] = best;
                        }
                    }
                    state[stBase + t * dN + d] = s;
                }
            }
        }
        return new CellEval(c.imageIndex(), c.dtScore(), state, npig, tpIou);
    }
}
