package io.ranksort4j.detectors.anchor;

import io.ranksort4j.core.config.Param;
import java.util.List;

/** mmdetection's AnchorGenerator settings: anchors per location = |ratios| × scales_per_octave. */
public record AnchorParams(
        @Param(value = "base scale, in strides, of the first octave step (RS-ATSS 4, ATSS 8)", def = "8", min = 0.01) double octaveBaseScale,
        @Param(value = "anchor scales per octave (RS-ATSS 3, ATSS 1)", def = "1", min = 1, max = 16) int scalesPerOctave,
        @Param(value = "height/width ratios", def = "[1.0]") List<Double> ratios,
        @Param(value = "feature strides of the pyramid levels", def = "[8, 16, 32, 64, 128]") List<Integer> strides) {

    public AnchorParams {
        ratios = List.copyOf(ratios);
        strides = List.copyOf(strides);
        if (ratios.isEmpty() || strides.isEmpty()) {
            throw new IllegalArgumentException("ratios and strides must not be empty");
        }
    }

    public int perLocation() {
        return ratios.size() * scalesPerOctave;
    }
}
