package io.ranksort4j.bench.eval;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: COCO bbox evaluation (evaluate + accumulate + summarize) of a generated 1000-image case on every core,
 * beside the same evaluation on one thread (the baseline), so the ratio is the parallel speed-up.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvaluationBenchmark {
    private GroundTruth gt;
    private List<Detection> dets;

    /** 1000 images of 640×480, 20 categories, 1–12 objects each; per object 0–2 jittered detections, plus 10 false positives per image. */
    @Setup
    public void setup() {
        Random r = new Random(42);
        List<ImageInfo> images = new ArrayList<>();
        List<Category> cats = new ArrayList<>();
        List<GtAnnotation> anns = new ArrayList<>();
        dets = new ArrayList<>();
        for (int c = 1; c <= 20; c++) {
            cats.add(new Category(c, "c" + c, null));
        }
        long annId = 1;
        for (int i = 1; i <= 1000; i++) {
            images.add(new ImageInfo(i, 480, 640, new long[0], new long[0]));
            for (int k = 1 + r.nextInt(12); k > 0; k--) {
                double w = 8 + r.nextDouble() * 200;
                double h = 8 + r.nextDouble() * 200;
                double x = r.nextDouble() * (640 - w);
                double y = r.nextDouble() * (480 - h);
                long cat = 1 + r.nextInt(20);
                anns.add(new GtAnnotation(annId++, i, cat, new double[] {x, y, w, h}, w * h, false, false, null));
                for (int d = r.nextInt(3); d > 0; d--) {
                    double j = 0.15 * r.nextGaussian();
                    dets.add(Detection.box(i, cat, x + j * w, y + j * h, w * (1 + j), h * (1 - j), r.nextDouble()));
                }
            }
            for (int f = 0; f < 10; f++) {
                dets.add(Detection.box(i, 1 + r.nextInt(20), r.nextDouble() * 500, r.nextDouble() * 380, 10 + r.nextDouble() * 130,
                        10 + r.nextDouble() * 100, 0.5 * r.nextDouble()));
            }
        }
        gt = new GroundTruth(images, cats, anns);
    }

    @Benchmark
    public double cocoBbox() {
        return CocoEval.evaluate(gt, dets, CocoEval.Params.defaults(IouType.BBOX)).statsMap().get("AP");
    }

    @Benchmark
    public double baselineOneThread() {
        return CocoEval.evaluate(gt, dets, new CocoEval.Params(IouType.BBOX, new int[] {1, 10, 100}, 1)).statsMap().get("AP");
    }
}
