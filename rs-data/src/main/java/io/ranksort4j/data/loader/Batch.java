package io.ranksort4j.data.loader;

import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.data.transform.Target;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A collated batch: {@code images} is float NCHW, zero-padded (after normalisation) to a multiple of the pad
 * divisor; per image its meta and ground truth (boxes xyxy in the resized frame, labels 0..K−1).
 */
public record Batch(int epoch, int index, INDArray images, List<ImageMeta> metas, List<Target> targets) {
    public int size() {
        return metas.size();
    }

    /** Image i's ground-truth boxes as an {@code n × 4} float array (xyxy, resized frame). */
    public INDArray boxes(int i) {
        float[] b = targets.get(i).boxes();
        return b.length == 0 ? Nd4j.create(DataType.FLOAT, 0, 4) : Nd4j.create(b, new long[] {b.length / 4, 4}, 'c');
    }

    /** Image i's labels as an int array of length n. */
    public int[] labels(int i) {
        return targets.get(i).labels();
    }

    /** Image i's crowd boxes (mmdetection's {@code gt_bboxes_ignore}) as {@code m × 4}. */
    public INDArray ignoreBoxes(int i) {
        float[] b = targets.get(i).ignoreBoxes();
        return b.length == 0 ? Nd4j.create(DataType.FLOAT, 0, 4) : Nd4j.create(b, new long[] {b.length / 4, 4}, 'c');
    }

    /**
     * Image i's instance masks as {@code n × padHeight × padWidth} floats (0/1, zero in the padding), aligned
     * with {@link #boxes(int)}; requires {@code with_masks = true}.
     */
    public INDArray masks(int i) {
        var t = targets.get(i);
        if (t.masks() == null) {
            throw new IllegalStateException("masks were not produced; set transform.with_masks = true");
        }
        ImageMeta m = metas.get(i);
        int w = m.width();
        int h = m.height();
        int pw = m.padWidth();
        int ph = m.padHeight();
        float[] out = new float[t.masks().size() * ph * pw];
        for (int k = 0; k < t.masks().size(); k++) {
            byte[] src = t.masks().get(k);
            int base = k * ph * pw;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out[base + y * pw + x] = src[y * w + x];
                }
            }
        }
        return out.length == 0 ? Nd4j.create(DataType.FLOAT, 0, ph, pw) : Nd4j.create(out, new long[] {t.masks().size(), ph, pw}, 'c');
    }
}
