package io.ranksort4j.parallel;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.detectors.engine.ScheduleParams;

/**
 * A tiny RS-ATSS for the 64 px batches of rs-detectors' {@code ToyData}, and schedules from HOCON, for the tests of
 * DL4J's fit path (rs-spark's tests use it through this module's test-jar).
 */
public final class TinyModel {
    /** About 0.3 M parameters; one head per level, as DL4J's fit needs (RecipeLoss). */
    public static final String HOCON = """
            type = rs_atss
            num_classes = 2
            input_size = [64, 64]
            backbone { depth = 18, base_width = 8 }
            neck { out_channels = 16 }
            head { stacked_convs = 1, feat_channels = 16, share_levels = false }
            anchor { octave_base_scale = 4, scales_per_octave = 3 }
            loss_cls { type = rank_sort }
            """;

    private TinyModel() {}

    /** The tiny detector's model spec. */
    public static ComponentSpec spec() {
        return ComponentSpec.of("rs_atss", HOCON);
    }

    /** A schedule section from HOCON. */
    public static ScheduleParams schedule(String hocon) {
        return ParamsBinder.bindOrThrow(ScheduleParams.class, com.typesafe.config.ConfigFactory.parseString(hocon), "schedule");
    }
}
