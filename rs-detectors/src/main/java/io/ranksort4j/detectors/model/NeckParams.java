package io.ranksort4j.detectors.model;

import io.ranksort4j.core.config.Param;

/** mmdetection's FPN with add_extra_convs='on_output', start_level 1: C3–C5 in, P3–P7 out. */
public record NeckParams(
        @Param(value = "channels of every pyramid level", def = "256", min = 8, max = 1024) int outChannels,
        @Param(value = "number of output levels (3..5: P3–P5, P6, P7)", def = "5", min = 3, max = 5) int numOuts) {}
