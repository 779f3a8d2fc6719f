package io.ranksort4j.parallel;

import io.ranksort4j.detectors.head.GroundTruth;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Ground truth carried in DL4J's labels array, so that it travels with the images to any worker (threads, Spark
 * executors): one row per image, {@code [count, x1, y1, x2, y2, label, x1, ...]}, zero-padded to a fixed capacity.
 */
public record TargetCodec(int capacity) {
    /** Default boxes per image: more than any COCO image has (at most 93 non-crowd objects). */
    public static final int DEFAULT_CAPACITY = 128;

    public TargetCodec {
        if (capacity < 1) {
            throw new IllegalArgumentException("target capacity must be at least 1 box per image, got " + capacity);
        }
    }

    /** The codec whose rows are {@code width} values wide. */
    public static TargetCodec ofWidth(long width) {
        if (width < 6 || (width - 1) % 5 != 0) {
            throw new IllegalArgumentException("a labels row of width " + width + " is not encoded ground truth (expected 1 + 5·boxes values)");
        }
        return new TargetCodec((int) ((width - 1) / 5));
    }

    /** Values per row. */
    public int width() {
        return 1 + 5 * capacity;
    }

    /** Encodes a batch's targets as a float [images, width] array. */
    public INDArray encode(List<GroundTruth> targets) {
        float[][] rows = new float[targets.size()][width()];
        for (int i = 0; i < targets.size(); i++) {
            GroundTruth gt = targets.get(i);
            if (gt.count() > capacity) {
                throw new IllegalArgumentException("image " + i + " of the batch has " + gt.count() + " boxes but the labels carry at most " + capacity
                        + "; raise the target capacity (--max-boxes)");
            }
            float[] row = rows[i];
            row[0] = gt.count();
            for (int k = 0; k < gt.count(); k++) {
                System.arraycopy(gt.boxes(), 4 * k, row, 1 + 5 * k, 4);
                row[1 + 5 * k + 4] = gt.labels()[k];
            }
        }
        return Nd4j.create(rows);
    }

    /** Decodes rows written by {@link #encode}. */
    public List<GroundTruth> decode(float[][] rows) {
        List<GroundTruth> out = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            if (row.length != width()) {
                throw new IllegalArgumentException("labels row has " + row.length + " values, expected " + width());
            }
            int n = Math.round(row[0]);
            if (n < 0 || n > capacity || n != row[0]) {
                throw new IllegalArgumentException("labels row starts with " + row[0] + ", not a box count in [0, " + capacity + "]");
            }
            float[] boxes = new float[4 * n];
            int[] labels = new int[n];
            for (int k = 0; k < n; k++) {
                System.arraycopy(row, 1 + 5 * k, boxes, 4 * k, 4);
                labels[k] = Math.round(row[1 + 5 * k + 4]);
            }
            out.add(new GroundTruth(boxes, labels));
        }
        return out;
    }
}
