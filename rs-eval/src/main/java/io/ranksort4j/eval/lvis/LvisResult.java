package io.ranksort4j.eval.lvis;

import io.ranksort4j.eval.coco.Accumulation;
import io.ranksort4j.eval.coco.Numerics;
import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.GroundTruth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** lvis-api's {@code results}: AP, AP50, AP75, APs/m/l, APr/c/f, AR@300 and ARs/m/l, plus oLRP. */
public final class LvisResult {
    /** The JSON keys, in lvis-api's order. */
    public static final List<String> KEYS = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "APr", "APc", "APf", "AR", "ARs", "ARm", "ARl");

    private final Accumulation acc;
    private final double[] iouThrs;
    private final long[] categoryIds;
    private final List<List<Integer>> freqGroups = new ArrayList<>();
    private final Map<String, Double> stats = new LinkedHashMap<>();
    private final int maxDets;

    LvisResult(GroundTruth gt, Accumulation acc, double[] iouThrs, int maxDets) {
        this.acc = acc;
        this.iouThrs = iouThrs;
        this.maxDets = maxDets;
        this.categoryIds = gt.categoryIds();
        for (int g = 0; g < 3; g++) {
            freqGroups.add(new ArrayList<>());
        }
        List<Category> cats = gt.categories();
        for (int k = 0; k < cats.size(); k++) {
            int g = "rcf".indexOf(cats.get(k).frequency() == null || cats.get(k).frequency().length() != 1 ? "?" : cats.get(k).frequency());
            if (g >= 0) {
                freqGroups.get(g).add(k);
            }
        }
        stats.put("AP", ap(null, 0, null));
        stats.put("AP50", ap(0.5, 0, null));
        stats.put("AP75", ap(0.75, 0, null));
        stats.put("APs", ap(null, 1, null));
        stats.put("APm", ap(null, 2, null));
        stats.put("APl", ap(null, 3, null));
        stats.put("APr", ap(null, 0, freqGroups.get(0)));
        stats.put("APc", ap(null, 0, freqGroups.get(1)));
        stats.put("APf", ap(null, 0, freqGroups.get(2)));
        stats.put("AR", ar(0));
        stats.put("ARs", ar(1));
        stats.put("ARm", ar(2));
        stats.put("ARl", ar(3));
    }

    private double ap(Double iouThr, int area, List<Integer> cats) {
        double[] v = new double[acc.t() * acc.r() * acc.k()];
        int n = 0;
        for (int t = 0; t < acc.t(); t++) {
            if (iouThr != null && iouThr != iouThrs[t]) {
                continue;
            }
            for (int r = 0; r < acc.r(); r++) {
                if (cats == null) {
                    for (int k = 0; k < acc.k(); k++) {
                        v[n++] = acc.precision(t, r, k, area, 0);
                    }
                } else {
                    for (int k : cats) {
                        v[n++] = acc.precision(t, r, k, area, 0);
                    }
                }
            }
        }
        return Numerics.meanValid(v, n);
    }

    private double ar(int area) {
        double[] v = new double[acc.t() * acc.k()];
        int n = 0;
        for (int t = 0; t < acc.t(); t++) {
            for (int k = 0; k < acc.k(); k++) {
                v[n++] = acc.recall(t, k, area, 0);
            }
        }
        return Numerics.meanValid(v, n);
    }

    /** The 13 results by their JSON keys (fractions, -1 where undefined). */
    public Map<String, Double> statsMap() {
        return new LinkedHashMap<>(stats);
    }

    /** AP of category index k (area all), -1 if undefined. */
    public double categoryAp(int k) {
        double[] v = new double[acc.t() * acc.r()];
        int n = 0;
        for (int t = 0; t < acc.t(); t++) {
            for (int r = 0; r < acc.r(); r++) {
                v[n++] = acc.precision(t, r, k, 0, 0);
            }
        }
        return Numerics.meanValid(v, n);
    }

    /** AR of category index k (area all), -1 if undefined. */
    public double categoryAr(int k) {
        double[] v = new double[acc.t()];
        for (int t = 0; t < acc.t(); t++) {
            v[t] = acc.recall(t, k, 0, 0);
        }
        return Numerics.meanValid(v, acc.t());
    }

    /** oLRP summary over categories (area all) and per frequency group. */
    public Map<String, Double> lrpMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("oLRP", lrpMean(acc.olrp(), null));
        m.put("oLRP_loc", lrpMean(acc.olrpLoc(), null));
        m.put("oLRP_FP", lrpMean(acc.olrpFp(), null));
        m.put("oLRP_FN", lrpMean(acc.olrpFn(), null));
        m.put("oLRPr", lrpMean(acc.olrp(), freqGroups.get(0)));
        m.put("oLRPc", lrpMean(acc.olrp(), freqGroups.get(1)));
        m.put("oLRPf", lrpMean(acc.olrp(), freqGroups.get(2)));
        return m;
    }

    private double lrpMean(double[] arr, List<Integer> cats) {
        List<Integer> ks = cats;
        if (ks == null) {
            ks = new ArrayList<>();
            for (int k = 0; k < acc.k(); k++) {
                ks.add(k);
            }
        }
        double[] v = new double[ks.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = arr[acc.lrpIndex(ks.get(i), 0)];
        }
        return Numerics.meanValid(v, v.length);
    }

    public Accumulation accumulation() {
        return acc;
    }

    public long[] categoryIds() {
        return categoryIds.clone();
    }

    /** The per-image cap used (300 by default, -1 for none). */
    public int maxDets() {
        return maxDets;
    }
}
