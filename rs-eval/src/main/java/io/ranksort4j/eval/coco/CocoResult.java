package io.ranksort4j.eval.coco;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of a COCO evaluation: pycocotools' 12 stats, per-category tables, PR curves and oLRP. */
public final class CocoResult {
    /** The JSON keys of the 12 stats, in pycocotools' order. */
    public static final List<String> STAT_KEYS = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl");

    /** One row of the per-category table; -1 (AP/AR) or NaN (oLRP parts) where undefined. */
    public record CategoryRow(long categoryId, double ap, double ap50, double ap75, double apSmall, double apMedium, double apLarge,
                              double ar, double arSmall, double arMedium, double arLarge,
                              double olrp, double olrpLoc, double olrpFp, double olrpFn, double olrpThreshold) {}

    private final CocoEval.Params params;
    private final long[] categoryIds;
    private final Accumulation acc;
    private final double[] iouThrs;
    private final double[] recThrs;
    private final double[] stats;

    CocoResult(CocoEval.Params params, long[] categoryIds, Accumulation acc, double[] iouThrs, double[] recThrs) {
        this.params = params;
        this.categoryIds = categoryIds;
        this.acc = acc;
        this.iouThrs = iouThrs;
        this.recThrs = recThrs;
        int[] md = params.maxDets();
        int m0 = md[0], m1 = md[Math.min(1, md.length - 1)], m2 = md[Math.min(2, md.length - 1)];
        stats = new double[] {
            summarize(true, null, 0, 100), summarize(true, 0.5, 0, m2), summarize(true, 0.75, 0, m2),
            summarize(true, null, 1, m2), summarize(true, null, 2, m2), summarize(true, null, 3, m2),
            summarize(false, null, 0, m0), summarize(false, null, 0, m1), summarize(false, null, 0, m2),
            summarize(false, null, 1, m2), summarize(false, null, 2, m2), summarize(false, null, 3, m2)};
    }

    /** pycocotools' {@code _summarize}: IoU rows picked by float equality, maxDets by value. */
    private double summarize(boolean ap, Double iouThr, int area, int maxDet) {
        List<Integer> ts = new ArrayList<>();
        for (int t = 0; t < acc.t(); t++) {
            if (iouThr == null || iouThr == iouThrs[t]) {
                ts.add(t);
            }
        }
        List<Integer> ms = new ArrayList<>();
        for (int m = 0; m < acc.m(); m++) {
            if (params.maxDets()[m] == maxDet) {
                ms.add(m);
            }
        }
        int n = ts.size() * (ap ? acc.r() : 1) * acc.k() * ms.size();
        double[] v = new double[n];
        int i = 0;
        for (int t : ts) {
            if (ap) {
                for (int r = 0; r < acc.r(); r++) {
                    for (int k = 0; k < acc.k(); k++) {
                        for (int m : ms) {
                            v[i++] = acc.precision(t, r, k, area, m);
                        }
                    }
                }
            } else {
                for (int k = 0; k < acc.k(); k++) {
                    for (int m : ms) {
                        v[i++] = acc.recall(t, k, area, m);
                    }
                }
            }
        }
        return Numerics.meanValid(v, n);
    }

    /** The 12 stats in pycocotools' order (fractions, -1 where undefined). */
    public double[] stats() {
        return stats.clone();
    }

    /** The stats by their JSON keys. */
    public Map<String, Double> statsMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < stats.length; i++) {
            m.put(STAT_KEYS.get(i), stats[i]);
        }
        return m;
    }

    public Accumulation accumulation() {
        return acc;
    }

    public CocoEval.Params params() {
        return params;
    }

    public long[] categoryIds() {
        return categoryIds.clone();
    }

    /** AP of category index k over the chosen IoU rows (null = all), area index, last maxDets; -1 if undefined. */
    public double categoryAp(int k, Double iouThr, int area) {
        int mi = acc.m() - 1;
        double[] v = new double[acc.t() * acc.r()];
        int n = 0;
        for (int t = 0; t < acc.t(); t++) {
            if (iouThr != null && iouThr != iouThrs[t]) {
                continue;
            }
            for (int r = 0; r < acc.r(); r++) {
                v[n++] = acc.precision(t, r, k, area, mi);
            }
        }
        return Numerics.meanValid(v, n);
    }

    /** AR of category index k at an area index, last maxDets; -1 if undefined. */
    public double categoryAr(int k, int area) {
        int mi = acc.m() - 1;
        double[] v = new double[acc.t()];
        for (int t = 0; t < acc.t(); t++) {
            v[t] = acc.recall(t, k, area, mi);
        }
        return Numerics.meanValid(v, acc.t());
    }

    /** The per-category table (AP / AR per area, oLRP with its optimal score threshold). */
    public List<CategoryRow> perCategory() {
        List<CategoryRow> rows = new ArrayList<>();
        for (int k = 0; k < acc.k(); k++) {
            int li = acc.lrpIndex(k, 0);
            rows.add(new CategoryRow(categoryIds[k], categoryAp(k, null, 0), categoryAp(k, 0.5, 0), categoryAp(k, 0.75, 0),
                    categoryAp(k, null, 1), categoryAp(k, null, 2), categoryAp(k, null, 3),
                    categoryAr(k, 0), categoryAr(k, 1), categoryAr(k, 2), categoryAr(k, 3),
                    acc.olrp()[li], acc.olrpLoc()[li], acc.olrpFp()[li], acc.olrpFn()[li], acc.olrpThreshold()[li]));
        }
        return rows;
    }

    /** oLRP summary: moLRP and the means of its components over categories (area all), plus per area. */
    public Map<String, Double> lrpMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("oLRP", lrpMean(acc.olrp(), 0));
        m.put("oLRP_loc", lrpMean(acc.olrpLoc(), 0));
        m.put("oLRP_FP", lrpMean(acc.olrpFp(), 0));
        m.put("oLRP_FN", lrpMean(acc.olrpFn(), 0));
        m.put("oLRPs", lrpMean(acc.olrp(), 1));
        m.put("oLRPm", lrpMean(acc.olrp(), 2));
        m.put("oLRPl", lrpMean(acc.olrp(), 3));
        return m;
    }

    private double lrpMean(double[] arr, int area) {
        double[] v = new double[acc.k()];
        for (int k = 0; k < acc.k(); k++) {
            v[k] = arr[acc.lrpIndex(k, area)];
        }
        return Numerics.meanValid(v, acc.k());
    }

    /** Mean precision over valid categories at each recall threshold, for IoU row t (area all, last maxDets). */
    public double[] prCurve(int t) {
        int mi = acc.m() - 1;
        double[] out = new double[acc.r()];
        double[] v = new double[acc.k()];
        for (int r = 0; r < acc.r(); r++) {
            for (int k = 0; k < acc.k(); k++) {
                v[k] = acc.precision(t, r, k, 0, mi);
            }
            out[r] = Math.max(0, Numerics.meanValid(v, acc.k()));
        }
        return out;
    }

    public double[] recallThresholds() {
        return recThrs.clone();
    }

    public double[] iouThresholds() {
        return iouThrs.clone();
    }
}
