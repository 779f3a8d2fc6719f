package io.ranksort4j.detectors.engine;

import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.data.loader.Batch;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.detectors.head.GroundTruth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Feeds rs-data's loader to the training loop. The loader pads each batch to its largest image rounded up to the
 * pad divisor; with a fixed {@code model.input_size} the batch is zero-padded further (after normalisation, as
 * mmdetection pads) to that size.
 */
public final class LoaderTrainData implements TrainData {
    private final DataLoader loader;
    private final List<Integer> inputSize;

    /** {@code inputSize}: [] keeps each batch's own padded shape, [height, width] pads to it. */
    public LoaderTrainData(DataLoader loader, List<Integer> inputSize) {
        this.loader = loader;
        this.inputSize = List.copyOf(inputSize);
    }

    @Override
    public int batchesPerEpoch() {
        return loader.plan(0).size();
    }

    @Override
    public Iterator<DetectionBatch> epoch(int epoch, int skip) {
        DataLoader.BatchIterator it = loader.epoch(epoch, skip);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                boolean more = it.hasNext();
                if (!more) {
                    it.close();
                }
                return more;
            }

            @Override
            public DetectionBatch next() {
                return convert(it.next(), inputSize);
            }
        };
    }

    /** Pads a loader batch to a fixed input size (if given) and turns its targets into the heads' form. */
    public static DetectionBatch convert(Batch b, List<Integer> inputSize) {
        INDArray img = b.images();
        long h = img.size(2);
        long w = img.size(3);
        int height = inputSize.isEmpty() ? (int) h : inputSize.get(0);
        int width = inputSize.isEmpty() ? (int) w : inputSize.get(1);
        if (h > height || w > width) {
            throw new IllegalArgumentException("a batch of " + h + "×" + w + " images does not fit model.input_size [" + height + ", " + width
                    + "]; raise model.input_size, set it to [] (pad each batch to its own shape) or lower the data transform's scales");
        }
        INDArray images = img;
        if (h != height || w != width) {
            images = Nd4j.zeros(img.dataType(), img.size(0), img.size(1), height, width);
            images.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, h), NDArrayIndex.interval(0, w)).assign(img);
        }
        List<GroundTruth> gts = new ArrayList<>();
        for (int i = 0; i < b.size(); i++) {
            var t = b.targets().get(i);
            gts.add(new GroundTruth(t.boxes(), t.labels(), t.masks(), b.metas().get(i).width(), b.metas().get(i).height()));
        }
        return new DetectionBatch(images, gts, b.metas());
    }
}
