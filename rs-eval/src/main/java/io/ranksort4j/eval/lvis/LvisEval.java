package io.ranksort4j.eval.lvis;

import io.ranksort4j.eval.coco.Accumulation;
import io.ranksort4j.eval.coco.Accumulator;
import io.ranksort4j.eval.coco.AreaRange;
import io.ranksort4j.eval.coco.CellEval;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.coco.Matching;
import io.ranksort4j.eval.coco.Numerics;
import io.ranksort4j.eval.coco.PreparedDetections.Dt;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import io.ranksort4j.eval.json.EvalInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** lvis-api's LVISEval (federated evaluation, LVIS v1), optionally as Fixed AP (per-category cap). */
public final class LvisEval {
    private LvisEval() {}

    /**
     * @param maxDetsPerImage lvis-api's per-image cap across categories (300), -1 for none
     * @param detsPerCategory Fixed AP: keep this many top-scoring results per category over the dataset
     *                        (then no per-image cap), -1 for the standard protocol
     * @param threads worker threads, 0 for all cores
     */
    public record Params(IouType iouType, int maxDetsPerImage, int detsPerCategory, int threads) {
        public static Params defaults(IouType type) {
            return new Params(type, 300, -1, 0);
        }
    }

    /** Evaluates {@code dets}; an empty list means no detections. */
    public static LvisResult evaluate(GroundTruth gt, List<Detection> dets, Params p) {
        int threads = p.threads() > 0 ? p.threads() : Runtime.getRuntime().availableProcessors();
        List<Detection> kept = p.detsPerCategory() > 0 ? capPerCategory(dets, p.detsPerCategory())
                : p.maxDetsPerImage() >= 0 ? capPerImage(dets, p.maxDetsPerImage()) : dets;
        int nImg = gt.imageCount();
        long[] catIdsAll = gt.categoryIds();
        List<List<Dt>> perImage = new ArrayList<>(nImg);
        for (int i = 0; i < nImg; i++) {
            perImage.add(new ArrayList<>());
        }
        boolean box = !kept.isEmpty() && kept.get(0).bbox() != null;
        int id = 0;
        for (Detection d : kept) {
            id++;
            int ii = gt.imageIndex(d.imageId());
            int ki = gt.categoryIndex(d.categoryId());
            if (ii < 0 || ki < 0) {
                throw new EvalInputException("result with image_id " + d.imageId() + ", category_id " + d.categoryId()
                        + " does not belong to the annotation file");
            }
            double[] bb = d.bbox();
            double area;
            double[] mb = null;
            if (box) {
                if (bb == null) {
                    throw new EvalInputException("a result has no 'bbox' but the first one has; give all results a bbox or none");
                }
                area = bb[2] * bb[3];
            } else {
                if (d.segmentation() == null) {
                    throw new EvalInputException("a result has no 'segmentation' and the first has no 'bbox'");
                }
                ImageInfo im = gt.image(ii);
                double[] ab = io.ranksort4j.eval.coco.PreparedDetections.areaAndBox(d.segmentation(), im.height(), im.width());
                area = ab[0];
                mb = new double[] {ab[1], ab[2], ab[3], ab[4]};
                if (bb == null) {
                    bb = mb;
                }
            }
            // lvis-api fetches annotations with 0 < area < inf: zero-area results vanish instead of being FPs
            if (area > 0 && area < Double.POSITIVE_INFINITY) {
                perImage.get(ii).add(new Dt(id, ii, ki, bb, area, d.score(), d.segmentation(), mb));
            }
        }
        double[] iouThrs = Numerics.iouThresholds();
        double[] recThrs = Numerics.recallThresholds();
        double[][] areas = new double[AreaRange.COCO.length][];
        for (int a = 0; a < areas.length; a++) {
            areas[a] = new double[] {AreaRange.COCO[a].lo(), AreaRange.COCO[a].hi()};
        }
        @SuppressWarnings("unchecked")
        List<CellEval>[] cellsPerImage = new List[nImg];
        int[][] catsPerImage = new int[nImg][];
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            CocoEval.run(pool, () -> IntStream.range(0, nImg).parallel().forEach(i -> {
                ImageInfo im = gt.image(i);
                Map<Integer, List<GtAnnotation>> g = new LinkedHashMap<>();
                for (GtAnnotation a : gt.annotations(i)) {
                    if (a.area() > 0 && a.area() < Double.POSITIVE_INFINITY) {
                        g.computeIfAbsent(gt.categoryIndex(a.categoryId()), x -> new ArrayList<>()).add(a);
                    }
                }
                Set<Long> neg = new HashSet<>();
                for (long c : im.negCategoryIds()) {
                    neg.add(c);
                }
                Set<Long> notExhaustive = new HashSet<>();
                for (long c : im.notExhaustiveCategoryIds()) {
                    notExhaustive.add(c);
                }
                Map<Integer, List<Dt>> d = new LinkedHashMap<>();
                for (Dt x : perImage.get(i)) {
                    // federated: only categories verified present or absent in the image are scored
                    if (g.containsKey(x.categoryIndex()) || neg.contains(catIdsAll[x.categoryIndex()])) {
                        d.computeIfAbsent(x.categoryIndex(), y -> new ArrayList<>()).add(x);
                    }
                }
                int[] cats = IntStream.concat(g.keySet().stream().mapToInt(Integer::intValue), d.keySet().stream().mapToInt(Integer::intValue))
                        .distinct().sorted().toArray();
                List<CellEval> out = new ArrayList<>(cats.length);
                for (int k : cats) {
                    Matching.Cell c = CocoEval.cell(im, i, g.getOrDefault(k, List.of()), d.getOrDefault(k, List.of()),
                            Integer.MAX_VALUE, p.iouType(), true);
                    boolean[] extra = new boolean[c.dtScore().length];
                    Arrays.fill(extra, notExhaustive.contains(catIdsAll[k]));
                    c = new Matching.Cell(c.imageIndex(), c.dtScore(), c.dtArea(), extra, c.gtId(), c.gtArea(), c.gtCrowd(),
                            c.gtIgnoreBase(), c.iou());
                    out.add(Matching.match(c, areas, iouThrs, false));
                }
                cellsPerImage[i] = out;
                catsPerImage[i] = cats;
            }));
            int kN = gt.categoryCount();
            @SuppressWarnings("unchecked")
            List<CellEval>[] perCat = new List[kN];
            for (int i = 0; i < nImg; i++) {
                for (int j = 0; j < cellsPerImage[i].size(); j++) {
                    int k = catsPerImage[i][j];
                    if (perCat[k] == null) {
                        perCat[k] = new ArrayList<>();
                    }
                    perCat[k].add(cellsPerImage[i].get(j));
                }
            }
            Accumulation acc = Accumulator.accumulate(perCat, areas.length, new int[] {Integer.MAX_VALUE}, iouThrs, recThrs, 0, pool);
            return new LvisResult(gt, acc, iouThrs, p.maxDetsPerImage());
        } finally {
            pool.shutdown();
        }
    }

    /** lvis-api's {@code limit_dets_per_image}: regroup by image (first appearance), keep the top {@code max} (stable). */
    static List<Detection> capPerImage(List<Detection> dets, int max) {
        Map<Long, List<Detection>> byImage = new LinkedHashMap<>();
        for (Detection d : dets) {
            byImage.computeIfAbsent(d.imageId(), x -> new ArrayList<>()).add(d);
        }
        List<Detection> out = new ArrayList<>(dets.size());
        for (List<Detection> l : byImage.values()) {
            out.addAll(l.size() <= max ? l : topByScore(l, max));
        }
        return out;
    }

    /** Fixed AP: the top {@code k} results of each category over the whole dataset, input order kept otherwise. */
    static List<Detection> capPerCategory(List<Detection> dets, int k) {
        Map<Long, List<Integer>> byCat = new LinkedHashMap<>();
        for (int i = 0; i < dets.size(); i++) {
            byCat.computeIfAbsent(dets.get(i).categoryId(), x -> new ArrayList<>()).add(i);
        }
        boolean[] keep = new boolean[dets.size()];
        for (List<Integer> idx : byCat.values()) {
            double[] s = new double[idx.size()];
            for (int j = 0; j < s.length; j++) {
                s[j] = dets.get(idx.get(j)).score();
            }
            int[] perm = Numerics.argsortDescendingStable(s, s.length);
            for (int j = 0; j < Math.min(k, perm.length); j++) {
                keep[idx.get(perm[j])] = true;
            }
        }
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            if (keep[i]) {
                out.add(dets.get(i));
            }
        }
        return out;
    }

    private static List<Detection> topByScore(List<Detection> l, int max) {
        double[] s = new double[l.size()];
        for (int j = 0; j < s.length; j++) {
            s[j] = l.get(j).score();
        }
        int[] perm = Numerics.argsortDescendingStable(s, s.length);
        List<Detection> out = new ArrayList<>(max);
        for (int j = 0; j < max; j++) {
            out.add(l.get(perm[j]));
        }
        return out;
    }
}
