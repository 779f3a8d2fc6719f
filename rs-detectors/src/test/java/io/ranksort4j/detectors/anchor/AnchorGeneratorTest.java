package io.ranksort4j.detectors.anchor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnchorGeneratorTest {
    @Test
    void rsAtssAnchorsFollowMmdetection() {
        // RS-ATSS: octave_base_scale 4, scales_per_octave 3, ratio 1 → 32·2^(k/3) at stride 8, centred on (0, 0)
        AnchorGenerator g = new AnchorGenerator(new AnchorParams(4, 3, List.of(1.0), List.of(8, 16, 32, 64, 128)));
        Anchors a = g.generate(AnchorGenerator.featureSizes(320, 320, List.of(8, 16, 32, 64, 128)));
        assertThat(a.count()).isEqualTo((40 * 40 + 20 * 20 + 10 * 10 + 5 * 5 + 3 * 3) * 3);
        float[] b = a.boxes();
        assertThat(b[0]).isEqualTo(-16f);
        assertThat(b[2]).isEqualTo(16f);
        assertThat((double) b[4 + 2] - b[4]).isCloseTo(32 * Math.pow(2, 1 / 3.0), within(1e-4));
        assertThat((double) b[8 + 2] - b[8]).isCloseTo(32 * Math.pow(2, 2 / 3.0), within(1e-4));
        // next location along x: shifted by the stride; row-major over (y, x), anchors innermost
        assertThat(b[12]).isEqualTo(-16f + 8);
        assertThat(b[4 * 3 * 40 + 1]).isEqualTo(-16f + 8);
        assertThat(a.levelStart()[1]).isEqualTo(40 * 40 * 3);
        assertThat(a.levelOf(a.levelStart()[4])).isEqualTo(4);
    }

    @Test
    void ratiosComeBeforeScalesAndKeepTheArea() {
        AnchorGenerator g = new AnchorGenerator(new AnchorParams(8, 1, List.of(0.5, 1.0, 2.0), List.of(8)));
        float[] b = g.generate(new int[][] {{1, 1}}).boxes();
        for (int k = 0; k < 3; k++) {
            double w = b[4 * k + 2] - b[4 * k];
            double h = b[4 * k + 3] - b[4 * k + 1];
            assertThat(w * h).isCloseTo(64 * 64, within(1e-2));
            assertThat(h / w).isCloseTo(List.of(0.5, 1.0, 2.0).get(k), within(1e-5));
        }
    }
}
