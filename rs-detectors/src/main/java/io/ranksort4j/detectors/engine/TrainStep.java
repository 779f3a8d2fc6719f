package io.ranksort4j.detectors.engine;

import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.Sgd;
import java.util.Iterator;

/** One training step at a time on an experiment's real batches (forward, injected loss, backward, SGD): for benchmarks. */
public final class TrainStep {
    private final Detector detector;
    private final Sgd sgd;
    private final LoaderTrainData data;
    private final double lr;
    private Iterator<DetectionBatch> batches;
    private int epoch;
    private int lastBatchSize;
    private String lastInputShape;

    TrainStep(Detector detector, Sgd sgd, LoaderTrainData data, double lr) {
        this.detector = detector;
        this.sgd = sgd;
        this.data = data;
        this.lr = lr;
        this.batches = data.epoch(0, 0);
    }

    /** Runs one step and returns its seconds; the next batch is read before the clock starts. */
    public double run() {
        if (!batches.hasNext()) {
            batches = data.epoch(++epoch, 0);
        }
        DetectionBatch b = batches.next();
        long t0 = System.nanoTime();
        detector.forwardBackward(b);
        sgd.step(detector.params(), detector.gradient(), lr);
        lastBatchSize = (int) b.images().size(0);
        lastInputShape = java.util.Arrays.toString(b.images().shape());
        return (System.nanoTime() - t0) / 1e9;
    }

    public Detector detector() {
        return detector;
    }

    /** The input shape of the last step, as [batch, channels, height, width]. */
    public String lastInputShape() {
        return lastInputShape;
    }

    /** Images in the batch of the last step. */
    public int lastBatchSize() {
        return lastBatchSize;
    }
}
