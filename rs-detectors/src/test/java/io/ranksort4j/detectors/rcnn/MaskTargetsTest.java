package io.ranksort4j.detectors.rcnn;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.head.GroundTruth;
import java.util.List;
import org.junit.jupiter.api.Test;

class MaskTargetsTest {
    private static GroundTruth rectangle(int x0, int y0, int x1, int y1, int size) {
        byte[] m = new byte[size * size];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * size + x] = 1;
            }
        }
        return new GroundTruth(new float[] {x0, y0, x1, y1}, new int[] {0}, List.of(m), size, size);
    }

    @Test
    void aRoiOnTheObjectGivesAFullMask() {
        float[] t = MaskTargets.of(rectangle(8, 8, 40, 40, 64), 0, new float[] {8, 8, 40, 40}, 0, 28);
        assertThat(t).containsOnly(1f);
    }

    @Test
    void aRoiTwiceAsWideGivesTheLeftHalf() {
        float[] t = MaskTargets.of(rectangle(8, 8, 40, 40, 64), 0, new float[] {8, 8, 72, 40}, 0, 28);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertThat(t[y * 28 + x]).as("(%d, %d)", y, x).isEqualTo(x < 14 ? 1f : 0f);
            }
        }
    }

    @Test
    void boxesWithoutMasksAreAClearError() {
        GroundTruth noMasks = new GroundTruth(new float[] {0, 0, 4, 4}, new int[] {0});
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MaskTargets.of(noMasks, 0, new float[] {0, 0, 4, 4}, 0, 28))
                .hasMessageContaining("with_masks = true");
    }
}
