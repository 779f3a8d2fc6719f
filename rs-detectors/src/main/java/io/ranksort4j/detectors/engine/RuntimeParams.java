package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.config.Param;

/** Seeds, logging, checkpointing and evaluation cadence: the {@code runtime} section of a config. */
public record RuntimeParams(
        @Param(value = "seed for weights, sampling and augmentation", def = "42") long seed,
        @Param(value = "log every this many iterations", def = "20", min = 1) int logInterval,
        @Param(value = "checkpoint every this many iterations; 0 = at the end of every epoch (and of the run)", def = "0", min = 0) int checkpointInterval,
        @Param(value = "evaluate on the val split every this many iterations; 0 = at the end only", def = "0", min = 0) int evalInterval,
        @Param(value = "checkpoints to keep (older ones are deleted); 0 keeps all", def = "2", min = 0) int keepCheckpoints,
        @Param(value = "work directory; empty = work_dirs/<config name>", def = "\"\"") String workDir,
        @Param(value = "a checkpoint directory (another run's checkpoints/iter_N) whose weights start this run, matched by name and shape; "
                + "empty = none; --resume takes precedence", def = "\"\"") String loadFrom) {}
