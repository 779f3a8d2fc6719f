package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.data.DataSpec;
import java.util.List;

/** A whole experiment config: the detector, its data, the schedule, the runtime and the evaluation protocol. */
public record ExperimentParams(
        @Param(value = "the detector (rs_atss, atss, retinanet, ...)", family = "detector") ComponentSpec model,
        @Param(value = "training and validation data") Splits data,
        @Param(value = "optimiser and learning-rate schedule", def = "{}") ScheduleParams schedule,
        @Param(value = "seed, logging, checkpoints, evaluation cadence", def = "{}") RuntimeParams runtime,
        @Param(value = "metrics on the val split", def = "{type = coco}", family = "evaluator") ComponentSpec evaluation,
        @Param(value = "Guice modules adding components (class names)", def = "[]") List<String> customModules) {

    /** The data splits. */
    public record Splits(
            @Param(value = "training split") DataSpec train,
            @Param(value = "validation split (sequential sampler, no flips)") DataSpec val) {}
}
