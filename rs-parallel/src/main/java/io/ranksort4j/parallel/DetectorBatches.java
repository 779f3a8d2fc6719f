package io.ranksort4j.parallel;

import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.engine.TrainData;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.MultiDataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The training split as DL4J's {@link MultiDataSetIterator}: images as features, ground truth encoded in the labels
 * ({@link TargetCodec}). Each batch of the loader (the config's total batch) is cut into {@code splits} consecutive
 * sub-batches, one per data-parallel worker; ParallelWrapper hands them out round-robin, so worker k of round t
 * trains on part k of batch t. Runs through as many epochs as {@code rounds} batches need.
 */
public final class DetectorBatches implements MultiDataSetIterator {
    private final TrainData data;
    private final TargetCodec codec;
    private final int splits;
    private final long rounds;
    private MultiDataSetPreProcessor pre;
    private Iterator<DetectionBatch> epochIt;
    private int epoch;
    private long served;
    private MultiDataSet[] pending;
    private int pendingAt;

    /**
     * @param rounds loader batches to serve in all (the schedule's iterations); each gives {@code splits} sub-batches
     */
    public DetectorBatches(TrainData data, TargetCodec codec, int splits, long rounds) {
        if (splits < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + splits);
        }
        this.data = data;
        this.codec = codec;
        this.splits = splits;
        this.rounds = rounds;
        reset();
    }

    /** Sub-batches per loader batch (the workers). */
    public int splits() {
        return splits;
    }

    /** Turns one loader batch into {@code splits} multi-datasets of equal size. */
    public static MultiDataSet[] split(DetectionBatch b, TargetCodec codec, int splits) {
        int n = (int) b.images().size(0);
        if (n % splits != 0) {
            throw new IllegalArgumentException("a batch of " + n + " images cannot be shared by " + splits
                    + " workers; make data.train.loader.batch_size (the total batch) a multiple of the workers");
        }
        int per = n / splits;
        MultiDataSet[] out = new MultiDataSet[splits];
        INDArray labels = codec.encode(b.targets());
        for (int k = 0; k < splits; k++) {
            INDArray f = splits == 1 ? b.images() : b.images().get(NDArrayIndex.interval(k * per, (k + 1) * per)).dup();
            INDArray l = splits == 1 ? labels : labels.get(NDArrayIndex.interval(k * per, (k + 1) * per), NDArrayIndex.all()).dup();
            out[k] = new org.nd4j.linalg.dataset.MultiDataSet(f, l);
        }
        return out;
    }

    @Override
    public boolean hasNext() {
        return pendingAt < pending.length || served < rounds;
    }

    @Override
    public MultiDataSet next() {
        if (pendingAt == pending.length) {
            if (served >= rounds) {
                throw new NoSuchElementException("all " + rounds + " batches served");
            }
            while (!epochIt.hasNext()) {
                epochIt = data.epoch(++epoch, 0);
            }
            pending = split(epochIt.next(), codec, splits);
            pendingAt = 0;
            served++;
        }
        MultiDataSet m = pending[pendingAt++];
        if (pre != null) {
            pre.preProcess(m);
        }
        return m;
    }

    @Override
    public MultiDataSet next(int num) {
        throw new UnsupportedOperationException("the batch size is the loader's (data.train.loader.batch_size)");
    }

    @Override
    public void setPreProcessor(MultiDataSetPreProcessor preProcessor) {
        pre = preProcessor;
    }

    @Override
    public MultiDataSetPreProcessor getPreProcessor() {
        return pre;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    /** Starts again from epoch 0. */
    @Override
    public void reset() {
        epoch = 0;
        epochIt = data.epoch(0, 0);
        served = 0;
        pending = new MultiDataSet[0];
        pendingAt = 0;
    }

    /** All remaining sub-batches, in order (for Spark, which takes its data as an RDD). */
    public List<MultiDataSet> drain() {
        List<MultiDataSet> out = new java.util.ArrayList<>();
        while (hasNext()) {
            out.add(next());
        }
        return out;
    }
}
