package io.ranksort4j.detectors.engine;

import java.util.Map;

/**
 * Where training stands, saved beside the weights so that {@code --resume} continues exactly: the next
 * iteration, its epoch and position in the epoch, and the config hash it was trained with.
 */
public record TrainerState(int nextIter, int epoch, int batchInEpoch, long seed, String configHash, Map<String, Double> extra) {
    public TrainerState {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }
}
