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
}
