package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.Json;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.loader.Batch;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.head.Detection;
import io.ranksort4j.detectors.head.HeadOutputs;
import io.ranksort4j.detectors.model.DenseDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs a detector over a split and returns COCO-format detections (original image coordinates, category ids). */
public final class Inference {
    private Inference() {}

    public static List<io.ranksort4j.eval.data.Detection> run(DenseDetector detector, DataLoader loader, int height, int width) {
        Dataset ds = loader.dataset();
        List<io.ranksort4j.eval.data.Detection> out = new ArrayList<>();
        try (DataLoader.BatchIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                Batch b = it.next();
                DetectionBatch db = LoaderTrainData.convert(b, height, width);
                List<HeadOutputs> outs = detector.outputs(db.images());
                for (int i = 0; i < outs.size(); i++) {
                    ImageMeta m = b.metas().get(i);
                    // the post-processor clips to the resized image and leaves rescaling to the meta (x and y scales differ)
                    for (Detection d : detector.detect(outs.get(i), m.width(), m.height(), 1.0)) {
                        double[] o = m.toOriginal(d.x1(), d.y1(), d.x2(), d.y2());
                        out.add(io.ranksort4j.eval.data.Detection.box(m.imageId(), ds.categoryIdOf(d.label()), o[0], o[1], o[2] - o[0], o[3] - o[1],
                                d.score()));
                    }
                }
            }
        }
        return out;
    }

    /** Writes detections as a COCO results file (a JSON array that pycocotools' loadRes reads), atomically. */
    public static void writeResults(Path file, List<io.ranksort4j.eval.data.Detection> dets) {
        List<Map<String, Object>> rows = new ArrayList<>(dets.size());
        for (io.ranksort4j.eval.data.Detection d : dets) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("image_id", d.imageId());
            r.put("category_id", d.categoryId());
            r.put("bbox", d.bbox());
            r.put("score", d.score());
            rows.add(r);
        }
        Json.write(file, rows);
    }
}
