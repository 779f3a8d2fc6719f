package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.Json;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.loader.Batch;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.head.Detection;
import io.ranksort4j.detectors.mask.MaskPaster;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.ImageDetections;
import io.ranksort4j.eval.data.Segmentation;
import io.ranksort4j.eval.mask.Rle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a detector over a split and returns COCO-format detections (original image coordinates, category ids);
 * a mask detector's masks are pasted into the original image and RLE-encoded, as mmdetection's segm results.
 */
public final class Inference {
    private Inference() {}

    /** {@code inputSize}: model.input_size ([] keeps each batch's own padded shape). */
    public static List<io.ranksort4j.eval.data.Detection> run(Detector detector, DataLoader loader, List<Integer> inputSize) {
        return run(detector, loader, inputSize, done -> { });
    }

    /** As {@link #run(Detector, DataLoader, List)}, telling {@code imagesDone} the running count of images after each batch. */
    public static List<io.ranksort4j.eval.data.Detection> run(Detector detector, DataLoader loader, List<Integer> inputSize,
                                                             java.util.function.IntConsumer imagesDone) {
        Dataset ds = loader.dataset();
        int done = 0;
        List<io.ranksort4j.eval.data.Detection> out = new ArrayList<>();
        try (DataLoader.BatchIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                Batch b = it.next();
                DetectionBatch db = LoaderTrainData.convert(b, inputSize);
                List<ImageDetections> dets = detector.detect(db);
                for (int i = 0; i < dets.size(); i++) {
                    ImageMeta m = b.metas().get(i);
                    ImageDetections im = dets.get(i);
                    for (int k = 0; k < im.boxes().size(); k++) {
                        Detection d = im.boxes().get(k);
                        double[] o = m.toOriginal(d.x1(), d.y1(), d.x2(), d.y2());
                        Segmentation seg = im.masks() == null ? null : paste(im.masks().get(k), im.maskSize(), o, m);
                        out.add(new io.ranksort4j.eval.data.Detection(m.imageId(), ds.categoryIdOf(d.label()),
                                new double[] {o[0], o[1], o[2] - o[0], o[3] - o[1]}, d.score(), seg));
                    }
                }
                done += b.size();
                imagesDone.accept(done);
            }
        }
        return out;
    }

    /** Pastes a box's mask probabilities into the original image at mmdet's 0.5 threshold. */
    private static Segmentation paste(float[] mask, int size, double[] box, ImageMeta m) {
        float[] probs = mask;
        if (m.flipped()) {
            // toOriginal mirrored the box; the mask's columns mirror with it
            probs = new float[mask.length];
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    probs[y * size + x] = mask[y * size + size - 1 - x];
                }
            }
        }
        float[] b = {(float) box[0], (float) box[1], (float) box[2], (float) box[3]};
        Rle rle = MaskPaster.paste(probs, 0, size, size, b, m.origHeight(), m.origWidth(), MaskPaster.DEFAULT_THRESHOLD).toRle();
        return new Segmentation.RleCounts(rle.h(), rle.w(), rle.counts());
    }

    /** Writes detections' boxes as a COCO results file (a JSON array that pycocotools' loadRes reads), atomically. */
    public static void writeResults(Path file, List<io.ranksort4j.eval.data.Detection> dets) {
        List<Map<String, Object>> rows = new ArrayList<>(dets.size());
        for (io.ranksort4j.eval.data.Detection d : dets) {
            Map<String, Object> r = row(d);
            r.put("bbox", d.bbox());
            r.put("score", d.score());
            rows.add(r);
        }
        Json.write(file, rows);
    }

    /** Writes detections' masks as a COCO segm results file (compressed RLE, as pycocotools' encode gives it), atomically. */
    public static void writeSegmResults(Path file, List<io.ranksort4j.eval.data.Detection> dets) {
        List<Map<String, Object>> rows = new ArrayList<>(dets.size());
        for (io.ranksort4j.eval.data.Detection d : dets) {
            Rle rle = d.segmentation().toRle(0, 0);
            Map<String, Object> seg = new LinkedHashMap<>();
            seg.put("size", new int[] {rle.h(), rle.w()});
            seg.put("counts", rle.toCompressedString());
            Map<String, Object> r = row(d);
            r.put("segmentation", seg);
            r.put("score", d.score());
            rows.add(r);
        }
        Json.write(file, rows);
    }

    private static Map<String, Object> row(io.ranksort4j.eval.data.Detection d) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("image_id", d.imageId());
        r.put("category_id", d.categoryId());
        return r;
    }
}
