package io.ranksort4j.detectors.engine;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.ranksort4j.core.run.DatasetFingerprint;
import io.ranksort4j.core.run.TrainingState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where training stands, saved beside the weights so that {@code --resume} continues exactly: the next iteration,
 * its epoch and position in the epoch, every stateful component's numbers (by name), and what the run was made of
 * (seed, config hash, the data's fingerprints) so that a resume under other settings is caught. The weights' CRC-32C
 * tells a damaged checkpoint from a good one (null in checkpoints written before it existed).
 */
public record TrainerState(int nextIter, int epoch, int batchInEpoch, long seed, String configHash,
                           @JsonAlias("extra") Map<String, double[]> components, List<DatasetFingerprint> data, String weightsCrc32c) {
    public TrainerState {
        components = components == null ? Map.of() : new TreeMap<>(components);
        data = data == null ? List.of() : List.copyOf(data);
    }

    /** The state before the first iteration of a run. */
    public static TrainerState start(long seed, String configHash, List<DatasetFingerprint> data) {
        return new TrainerState(0, 0, 0, seed, configHash, null, data, null);
    }

    /** The same run at another point of its schedule, with its components' state then. */
    public TrainerState at(int nextIter, int epoch, int batchInEpoch, Map<String, double[]> componentState) {
        return new TrainerState(nextIter, epoch, batchInEpoch, seed, configHash, componentState, data, null);
    }

    TrainerState withWeightsCrc32c(String crc) {
        return new TrainerState(nextIter, epoch, batchInEpoch, seed, configHash, components, data, crc);
    }

    /** Each component's state, copied, in name order (what {@link #at} is given at a checkpoint). */
    static Map<String, double[]> save(Map<String, TrainingState> live) {
        Map<String, double[]> out = new LinkedHashMap<>();
        new TreeMap<>(live).forEach((k, v) -> out.put(k, v.save().clone()));
        return out;
    }
}
