package io.ranksort4j.cli.eval;

import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.plot.LinePlot;
import io.ranksort4j.core.run.DatasetFingerprint;
import io.ranksort4j.core.run.RunProvenance;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.GroundTruthReader;
import io.ranksort4j.eval.json.ResultsReader;
import io.ranksort4j.eval.lvis.LvisEval;
import io.ranksort4j.eval.lvis.LvisResult;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rs4j eval}: COCO / LVIS / oLRP evaluation of a results file, identical to the reference tools. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a COCO-format results file against its annotations, with the numbers pycocotools / lvis-api print.",
            "An empty results list counts as no detections. Files may be gzipped (.gz)."})
public final class EvalCommand implements Callable<Integer> {
    @Option(names = "--ann", required = true, paramLabel = "GT.json", description = "COCO or LVIS annotation file.")
    Path ann;

    @Option(names = "--results", required = true, paramLabel = "DT.json", description = "Results: a JSON list of detections.")
    Path results;

    @Option(names = "--iou-type", defaultValue = "bbox", paramLabel = "bbox|segm", description = "IoU on boxes or masks (default: ${DEFAULT-VALUE}).")
    String iouType;

    @Option(names = "--lvis", description = "LVIS v1 federated evaluation (lvis-api) instead of COCO.")
    boolean lvis;

    @Option(names = "--lrp", description = "Also report oLRP (Oksuz et al.) and its components; per-category thresholds with --per-category.")
    boolean lrp;

    @Option(names = "--per-category", description = "Print (and write) the per-category AP / AR table.")
    boolean perCategory;

    @Option(names = "--max-dets", split = ",", paramLabel = "N[,N...]",
            description = "COCO: per-image, per-category caps (default 1,10,100; the summary follows them). LVIS: the per-image cap (default 300, -1 = none).")
    List<Integer> maxDets;

    @Option(names = "--dets-per-cat", defaultValue = "-1", paramLabel = "K", description = "LVIS Fixed AP: keep the top K results per category, no per-image cap.")
    int detsPerCat;

    @Option(names = "--drop-bbox-for-segm", description = "Remove 'bbox' from results that carry masks (mmdetection / detectron2), so size classes use mask areas.")
    boolean dropBbox;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all cores).")
    int threads;

    @Option(names = "--json", paramLabel = "OUT", description = "Write the metrics (fractions) as JSON.")
    Path json;

    @Option(names = "--plots", paramLabel = "DIR", description = "Write precision-recall curves as PNG.")
    Path plots;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        long t0 = System.nanoTime();
        GroundTruth gt = GroundTruthReader.read(ann);
        List<Detection> dets = ResultsReader.read(results, gt, dropBbox);
        long t1 = System.nanoTime();
        cpuEvalStart = processCpuNanos();
        IouType type = IouType.parse(iouType);
        Map<String, Object> doc = new LinkedHashMap<>();
        if (lvis) {
            int cap = maxDets == null || maxDets.isEmpty() ? 300 : maxDets.get(0);
            LvisResult r = LvisEval.evaluate(gt, dets, new LvisEval.Params(type, cap, detsPerCat, threads));
            long t2 = System.nanoTime();
            cpuEvalEnd = processCpuNanos();
            Map<String, Double> stats = r.statsMap();
            printLvis(out, stats, type, cap);
            doc.putAll(stats);
            if (lrp) {
                Map<String, Double> l = r.lrpMap();
                printLrp(out, l);
                doc.putAll(l);
            }
            if (perCategory) {
                List<Map<String, Object>> rows = new ArrayList<>();
                out.println();
                out.printf("%-28s %6s %6s %4s%n", "category", "AP", "AR", "freq");
                for (int k = 0; k < gt.categoryCount(); k++) {
                    Category c = gt.categories().get(k);
                    double ap = r.categoryAp(k);
                    double ar = r.categoryAr(k);
                    out.printf(Locale.ROOT, "%-28s %6s %6s %4s%n", label(c), fmt(ap), fmt(ar), c.frequency() == null ? "" : c.frequency());
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("category_id", c.id());
                    row.put("name", c.name());
                    row.put("AP", ap);
                    row.put("AR", ar);
                    rows.add(row);
                }
                doc.put("per_category", rows);
            }
            if (plots != null) {
                writeMeanPrCurve(r.accumulation(), "LVIS precision-recall (area all, federated)");
                out.println("precision-recall curves written to " + plots);
            }
            timing(out, dets.size(), gt, t0, t1, t2);
        } else {
            int[] md = maxDets == null || maxDets.isEmpty() ? new int[] {1, 10, 100} : maxDets.stream().mapToInt(Integer::intValue).toArray();
            CocoResult r = CocoEval.evaluate(gt, dets, new CocoEval.Params(type, md, threads));
            long t2 = System.nanoTime();
            cpuEvalEnd = processCpuNanos();
            printCoco(out, r, type);
            doc.putAll(r.statsMap());
            if (lrp) {
                Map<String, Double> l = r.lrpMap();
                printLrp(out, l);
                l.forEach((k, v) -> {
                    if (k.startsWith("oLRP_") || k.equals("oLRP")) {
                        doc.put(k, v);
                    }
                });
            }
            if (perCategory) {
                doc.put("per_category", perCategoryTable(out, gt, r));
            }
            if (plots != null) {
                writePlots(r, gt);
                out.println("precision-recall curves written to " + plots);
            }
            timing(out, dets.size(), gt, t0, t1, t2);
        }
        if (json != null) {
            Json.write(json, doc);
            // what made these numbers, beside them: the annotation file's fingerprint stands for the data
            RunProvenance.collect("eval", null, 0, List.of(DatasetFingerprint.of(ann, gt.imageCount()))).write(json.toAbsolutePath().getParent());
            out.println("metrics written to " + json + " (provenance in run.json beside it)");
        }
        return 0;
    }

    private void timing(PrintStream out, int n, GroundTruth gt, long t0, long t1, long t2) {
        out.printf(Locale.ROOT, "%n%d detections, %d images, %d annotations: load %.2f s, evaluate %.2f s (CPU %.2f s)%n", n, gt.imageCount(),
                gt.annotationCount(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, (cpuEvalEnd - cpuEvalStart) / 1e9);
    }

    private long cpuEvalStart;
    private long cpuEvalEnd;

    /** CPU time of this process (all threads, GC and JIT included), so timings survive a busy machine. */
    private static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private static String label(Category c) {
        return c.name() == null ? Long.toString(c.id()) : c.name() + " (" + c.id() + ")";
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "nan" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void printCoco(PrintStream out, CocoResult r, IouType type) {
        double[] s = r.stats();
        int[] md = r.params().maxDets();
        int m0 = md[0], m1 = md[Math.min(1, md.length - 1)], m2 = md[Math.min(2, md.length - 1)];
        out.println("COCO " + type.name().toLowerCase(Locale.ROOT) + " (pycocotools 2.0.x semantics)");
        String[] what = {"Average Precision  (AP)", "Average Recall     (AR)"};
        Object[][] rows = {
            {0, "0.50:0.95", "all", 100}, {0, "0.50     ", "all", m2}, {0, "0.75     ", "all", m2},
            {0, "0.50:0.95", "small", m2}, {0, "0.50:0.95", "medium", m2}, {0, "0.50:0.95", "large", m2},
            {1, "0.50:0.95", "all", m0}, {1, "0.50:0.95", "all", m1}, {1, "0.50:0.95", "all", m2},
            {1, "0.50:0.95", "small", m2}, {1, "0.50:0.95", "medium", m2}, {1, "0.50:0.95", "large", m2}};
        for (int i = 0; i < 12; i++) {
            out.printf(Locale.ROOT, " %s @[ IoU=%s | area=%6s | maxDets=%3d ] = %.3f%n", what[(int) rows[i][0]], rows[i][1], rows[i][2],
                    (int) rows[i][3], s[i]);
        }
    }

    private static void printLvis(PrintStream out, Map<String, Double> s, IouType type, int cap) {
        out.println("LVIS " + type.name().toLowerCase(Locale.ROOT) + " (lvis-api semantics, maxDets " + cap + ")");
        String[][] rows = {{"AP", "AP ", "0.50:0.95", "all", "all"}, {"AP50", "AP ", "0.50     ", "all", "all"},
            {"AP75", "AP ", "0.75     ", "all", "all"}, {"APs", "AP ", "0.50:0.95", "s", "all"}, {"APm", "AP ", "0.50:0.95", "m", "all"},
            {"APl", "AP ", "0.50:0.95", "l", "all"}, {"APr", "AP ", "0.50:0.95", "all", "r"}, {"APc", "AP ", "0.50:0.95", "all", "c"},
            {"APf", "AP ", "0.50:0.95", "all", "f"}, {"AR", "AR ", "0.50:0.95", "all", "all"}, {"ARs", "AR ", "0.50:0.95", "s", "all"},
            {"ARm", "AR ", "0.50:0.95", "m", "all"}, {"ARl", "AR ", "0.50:0.95", "l", "all"}};
        for (String[] r : rows) {
            out.printf(Locale.ROOT, " Average %s @[ IoU=%s | area=%3s | maxDets=%d catIds=%3s] = %.3f%n",
                    r[1].startsWith("AP") ? "Precision  (AP)" : "Recall     (AR)", r[2], r[3], cap, r[4], s.get(r[0]));
        }
    }

    private static void printLrp(PrintStream out, Map<String, Double> l) {
        out.println();
        l.forEach((k, v) -> out.printf(Locale.ROOT, " %-9s = %s%n", k, fmt(v)));
    }

    private List<Map<String, Object>> perCategoryTable(PrintStream out, GroundTruth gt, CocoResult r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        out.println();
        out.printf("%-28s %6s %6s %6s %6s %6s %6s %6s %6s%s%n", "category", "AP", "AP50", "AP75", "APs", "APm", "APl", "AR", "ARs/m/l",
                lrp ? "  oLRP  loc    FP     FN     thr" : "");
        List<CocoResult.CategoryRow> table = r.perCategory();
        for (int k = 0; k < table.size(); k++) {
            CocoResult.CategoryRow c = table.get(k);
            Category cat = gt.categories().get(k);
            out.printf(Locale.ROOT, "%-28s %6s %6s %6s %6s %6s %6s %6s %s/%s/%s%s%n", label(cat), fmt(c.ap()), fmt(c.ap50()), fmt(c.ap75()),
                    fmt(c.apSmall()), fmt(c.apMedium()), fmt(c.apLarge()), fmt(c.ar()), fmt(c.arSmall()), fmt(c.arMedium()), fmt(c.arLarge()),
                    lrp ? String.format(Locale.ROOT, "  %s %s %s %s %s", fmt(c.olrp()), fmt(c.olrpLoc()), fmt(c.olrpFp()), fmt(c.olrpFn()),
                            fmt(c.olrpThreshold())) : "");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("category_id", c.categoryId());
            row.put("name", cat.name());
            row.put("AP", c.ap());
            row.put("AP50", c.ap50());
            row.put("AP75", c.ap75());
            row.put("APs", c.apSmall());
            row.put("APm", c.apMedium());
            row.put("APl", c.apLarge());
            row.put("AR", c.ar());
            row.put("ARs", c.arSmall());
            row.put("ARm", c.arMedium());
            row.put("ARl", c.arLarge());
            if (lrp) {
                row.put("oLRP", nullIfNaN(c.olrp()));
                row.put("oLRP_loc", nullIfNaN(c.olrpLoc()));
                row.put("oLRP_FP", nullIfNaN(c.olrpFp()));
                row.put("oLRP_FN", nullIfNaN(c.olrpFn()));
                row.put("threshold", nullIfNaN(c.olrpThreshold()));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }

    /** Mean precision over the categories with GT at each recall threshold, IoU .50, .75 and .50:.95 (area all, last M). */
    private void writeMeanPrCurve(io.ranksort4j.eval.coco.Accumulation acc, String title) {
        double[] rec = io.ranksort4j.eval.coco.Numerics.recallThresholds();
        LinePlot p = new LinePlot(title, "recall", "precision");
        double[] mean = new double[acc.r()];
        double[] v = new double[acc.k()];
        for (int t = 0; t < acc.t(); t++) {
            double[] c = new double[acc.r()];
            for (int ri = 0; ri < acc.r(); ri++) {
                for (int k = 0; k < acc.k(); k++) {
                    v[k] = acc.precision(t, ri, k, 0, acc.m() - 1);
                }
                c[ri] = Math.max(0, io.ranksort4j.eval.coco.Numerics.meanValid(v, acc.k()));
                mean[ri] += c[ri] / acc.t();
            }
            if (t == 0 || t == 5) {
                p.add(t == 0 ? "IoU=0.50" : "IoU=0.75", rec, c);
            }
        }
        p.add("IoU=0.50:0.95", rec, mean);
        p.write(plots.resolve("pr_curve.png"), 800, 600);
    }

    private void writePlots(CocoResult r, GroundTruth gt) {
        double[] rec = r.recallThresholds();
        double[] thr = r.iouThresholds();
        LinePlot p = new LinePlot("Precision-recall (area all, maxDets " + r.params().maxDets()[r.params().maxDets().length - 1] + ")",
                "recall", "precision");
        double[] mean = new double[rec.length];
        for (int t = 0; t < thr.length; t++) {
            double[] c = r.prCurve(t);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += c[i] / thr.length;
            }
            if (t == 0 || t == 5) {
                p.add(String.format(Locale.ROOT, "IoU=%.2f", thr[t]), rec, c);
            }
        }
        p.add("IoU=0.50:0.95", rec, mean);
        p.write(plots.resolve("pr_curve.png"), 800, 600);
        if (perCategory) {
            int mi = r.accumulation().m() - 1;
            for (int k = 0; k < gt.categoryCount(); k++) {
                if (r.categoryAp(k, null, 0) < 0) {
                    continue;
                }
                LinePlot pc = new LinePlot("Precision-recall: " + label(gt.categories().get(k)), "recall", "precision");
                for (int t : new int[] {0, 5}) {
                    double[] y = new double[rec.length];
                    for (int i = 0; i < rec.length; i++) {
                        y[i] = Math.max(0, r.accumulation().precision(t, i, k, 0, mi));
                    }
                    pc.add(String.format(Locale.ROOT, "IoU=%.2f", thr[t]), rec, y);
                }
                pc.write(plots.resolve("pr_category_" + gt.categories().get(k).id() + ".png"), 640, 480);
            }
        }
    }
}
