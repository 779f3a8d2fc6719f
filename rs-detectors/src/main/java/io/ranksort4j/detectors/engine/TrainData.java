package io.ranksort4j.detectors.engine;

import io.ranksort4j.detectors.model.DetectionBatch;
import java.util.Iterator;

/** The training split as the loop consumes it: the same batches for the same seed and epoch, whatever the workers. */
public interface TrainData {
    int batchesPerEpoch();

    /** Batches of an epoch, starting after {@code skip} of them (resuming mid-epoch). */
    Iterator<DetectionBatch> epoch(int epoch, int skip);
}
