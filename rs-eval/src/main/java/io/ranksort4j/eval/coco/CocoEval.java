package io.ranksort4j.eval.coco;

import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import io.ranksort4j.eval.json.EvalInputException;
import io.ranksort4j.eval.mask.MaskApi;
import io.ranksort4j.eval.mask.Rle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/** pycocotools' COCOeval (evaluate, accumulate, summarize), multi-threaded and deterministic. */
public final class CocoEval {
    private CocoEval() {}

    /**
     * Evaluation settings; the defaults are pycocotools'.
     *
     * @param maxDets per-image, per-category detection caps; the summary follows them
     * @param threads worker threads, 0 for all cores
     */
    public record Params(IouType iouType, int[] maxDets, int threads) {
        public Params {
            if (maxDets == null || maxDets.length == 0) {
                throw new IllegalArgumentException("maxDets must not be empty");
            }
            for (int m : maxDets) {
                if (m <= 0) {
                    throw new IllegalArgumentException("maxDets must be positive, got " + m);
                }
            }
            // COCOeval.evaluate() sorts maxDets, so the summary's "maxDets[2]" is the largest of three
            maxDets = maxDets.clone();
            java.util.Arrays.sort(maxDets);
        }

        public static Params defaults(IouType type) {
            return new Params(type, new int[] {1, 10, 100}, 0);
        }
    }

    /** Evaluates {@code dets} against {@code gt}; an empty list means no detections. */
    public static CocoResult evaluate(GroundTruth gt, List<Detection> dets, Params p) {
        ForkJoinPool pool = new ForkJoinPool(p.threads() > 0 ? p.threads() : Runtime.getRuntime().availableProcessors());
        try {
            PreparedDetections[] prepared = new PreparedDetections[1];
            long t0 = System.nanoTime();
            run(pool, () -> prepared[0] = PreparedDetections.load(gt, dets));
            if (Boolean.getBoolean("rs4j.eval.timing")) {
                System.err.printf("rs4j.eval.timing: loadRes %.3f s%n", (System.nanoTime() - t0) / 1e9);
            }
            return evaluate(gt, prepared[0], p);
        } finally {
            pool.shutdown();
        }
    }

    /** Evaluates detections already prepared by {@link PreparedDetections#load}. */
    public static CocoResult evaluate(GroundTruth gt, PreparedDetections dets, Params p) {
        int threads = p.threads() > 0 ? p.threads() : Runtime.getRuntime().availableProcessors();
        long t0 = System.nanoTime();
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            double[] iouThrs = Numerics.iouThresholds();
            double[] recThrs = Numerics.recallThresholds();
            double[][] areas = AreaRange.bounds(AreaRange.COCO);
            int cap = p.maxDets()[p.maxDets().length - 1];
            int nImg = gt.imageCount();
            @SuppressWarnings("unchecked")
            List<CellEval>[] cellsPerImage = new List[nImg];
            int[][] catsPerImage = new int[nImg][];
            run(pool, () -> IntStream.range(0, nImg).parallel().forEach(i -> {
                Map<Integer, List<GtAnnotation>> g = new LinkedHashMap<>();
                for (GtAnnotation a : gt.annotations(i)) {
                    g.computeIfAbsent(gt.categoryIndex(a.categoryId()), x -> new ArrayList<>()).add(a);
                }
                Map<Integer, List<PreparedDetections.Dt>> d = new LinkedHashMap<>();
                for (PreparedDetections.Dt x : dets.ofImage(i)) {
                    d.computeIfAbsent(x.categoryIndex(), y -> new ArrayList<>()).add(x);
                }
                int[] cats = IntStream.concat(g.keySet().stream().mapToInt(Integer::intValue), d.keySet().stream().mapToInt(Integer::intValue))
                        .distinct().sorted().toArray();
                List<CellEval> out = new ArrayList<>(cats.length);
                for (int k : cats) {
                    Matching.Cell c = cell(gt.image(i), i, g.getOrDefault(k, List.of()), d.getOrDefault(k, List.of()), cap, p.iouType());
                    out.add(Matching.match(c, areas, iouThrs, true));
                }
                catsPerImage[i] = cats;
                cellsPerImage[i] = out;
            }));
            int kN = gt.categoryCount();
            @SuppressWarnings("unchecked")
            List<CellEval>[] perCat = new List[kN];
            for (int i = 0; i < nImg; i++) {
                List<CellEval> cells = cellsPerImage[i];
                for (int j = 0; j < cells.size(); j++) {
                    int k = catsPerImage[i][j];
                    if (perCat[k] == null) {
                        perCat[k] = new ArrayList<>();
                    }
                    perCat[k].add(cells.get(j));
                }
            }
            long tCells = System.nanoTime();
            int lrpM = -1;
            for (int m = 0; m < p.maxDets().length; m++) {
                if (p.maxDets()[m] == 100) {
                    lrpM = m;
                }
            }
            if (lrpM < 0) {
                lrpM = p.maxDets().length - 1;
            }
            Accumulation acc = Accumulator.accumulate(perCat, areas.length, p.maxDets(), iouThrs, recThrs, lrpM, pool);
            if (Boolean.getBoolean("rs4j.eval.timing")) {
                System.err.printf("rs4j.eval.timing: evaluate %.3f s, accumulate %.3f s, threads %d%n", (tCells - t0) / 1e9,
                        (System.nanoTime() - tCells) / 1e9, threads);
            }
            return new CocoResult(p, gt.categoryIds(), acc, iouThrs, recThrs);
        } finally {
            pool.shutdown();
        }
    }

    private static Rle dtMask(PreparedDetections.Dt d, ImageInfo img) {
        return d.segmentation() != null ? d.rle(img.height(), img.width()) : MaskApi.frBbox(d.bbox(), img.height(), img.width());
    }

    /** Runs {@code r} in {@code pool} and rethrows its failure. */
    public static void run(ForkJoinPool pool, Runnable r) {
        try {
            pool.submit(r).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** Builds a cell: detections sorted (stable) and capped, GT in file order, the D x G IoU matrix. */
    public static Matching.Cell cell(ImageInfo img, int imageIndex, List<GtAnnotation> gts, List<PreparedDetections.Dt> dts, int cap, IouType type) {
        return cell(img, imageIndex, gts, dts, cap, type, false);
    }

    /**
     * Builds a cell; with {@code lvis} no GT is a crowd (lvis-api passes iscrowd = 0 everywhere) and the
     * base ignore flag is the annotation's {@code ignore} field instead of {@code iscrowd}.
     */
    public static Matching.Cell cell(ImageInfo img, int imageIndex, List<GtAnnotation> gts, List<PreparedDetections.Dt> dts, int cap,
                                     IouType type, boolean lvis) {
        int n = dts.size();
        double[] sc = new double[n];
        for (int j = 0; j < n; j++) {
            sc[j] = dts.get(j).score();
        }
        int[] perm = Numerics.argsortDescendingStable(sc, n);
        int dN = Math.min(n, cap);
        PreparedDetections.Dt[] dt = new PreparedDetections.Dt[dN];
        double[] score = new double[dN];
        double[] dArea = new double[dN];
        for (int j = 0; j < dN; j++) {
            dt[j] = dts.get(perm[j]);
            score[j] = dt[j].score();
            dArea[j] = dt[j].area();
        }
        int gN = gts.size();
        long[] gid = new long[gN];
        double[] gArea = new double[gN];
        boolean[] crowd = new boolean[gN];
        boolean[] ignore = new boolean[gN];
        for (int g = 0; g < gN; g++) {
            GtAnnotation a = gts.get(g);
            gid[g] = a.id();
            gArea[g] = a.area();
            crowd[g] = !lvis && a.iscrowd();
            ignore[g] = lvis ? a.ignore() : a.iscrowd();
        }
        double[] iou = new double[dN * gN];
        if (dN > 0 && gN > 0) {
            if (type == IouType.BBOX) {
                for (int g = 0; g < gN; g++) {
                    if (gts.get(g).bbox() == null) {
                        throw new EvalInputException("annotation id " + gid[g] + " has no 'bbox'; bbox evaluation needs one on every annotation");
                    }
                }
                for (int d = 0; d < dN; d++) {
                    double[] db = dt[d].bbox();
                    for (int g = 0; g < gN; g++) {
                        double[] gb = gts.get(g).bbox();
                        iou[d * gN + g] = MaskApi.bbIou(db[0], db[1], db[2], db[3], gb[0], gb[1], gb[2], gb[3], crowd[g]);
                    }
                }
            } else {
                Rle[] gr = new Rle[gN];
                double[][] gbb = new double[gN][];
                for (int g = 0; g < gN; g++) {
                    GtAnnotation a = gts.get(g);
                    if (a.segmentation() == null) {
                        throw new EvalInputException("annotation id " + a.id() + " has no 'segmentation'; segm evaluation needs masks");
                    }
                    gr[g] = a.segmentation().toRle(img.height(), img.width());
                    gbb[g] = gr[g].toBbox();
                }
                for (int d = 0; d < dN; d++) {
                    // most detections overlap no GT box of their category: decode a mask only when the box
                    // pre-check of maskApi's rleIou passes for some GT
                    Rle r = null;
                    double[] rb = dt[d].maskBox();
                    if (rb == null) {
                        r = dtMask(dt[d], img);
                        rb = r.toBbox();
                    }
                    for (int g = 0; g < gN; g++) {
                        double o = MaskApi.bbIou(rb, gbb[g], crowd[g]);
                        if (!(o > 0)) {
                            iou[d * gN + g] = o;
                            continue;
                        }
                        if (r == null) {
                            r = dtMask(dt[d], img);
                        }
                        iou[d * gN + g] = MaskApi.rleIou(r, rb, gr[g], gbb[g], crowd[g]);
                    }
                }
            }
        }
        return new Matching.Cell(imageIndex, score, dArea, null, gid, gArea, crowd, ignore, iou);
    }
}
