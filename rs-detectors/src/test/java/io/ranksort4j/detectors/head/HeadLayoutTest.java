package io.ranksort4j.detectors.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeadLayoutTest {
    @Test
    void splitAndJoinAreInversesAndFollowTheChannelLayout() {
        Anchors anchors = new AnchorGenerator(new AnchorParams(4, 2, List.of(1.0), List.of(8, 16))).generate(new int[][] {{3, 2}, {2, 1}});
        HeadLayout layout = new HeadLayout(3, anchors, true);
        float[] row = new float[layout.width()];
        for (int i = 0; i < row.length; i++) {
            row[i] = i;
        }
        HeadOutputs o = layout.split(row);
        // level 0, anchor j = 1 at (y = 2, x = 1), class 2: channel j·C + c = 5 of a [6, 3, 2] block
        int anchor = (2 * 2 + 1) * 2 + 1;
        assertThat(o.logits()[anchor * 3 + 2]).isEqualTo(5 * 6 + 2 * 2 + 1);
        assertThat(layout.join(o.logits(), o.deltas(), o.centerness())).containsExactly(row);
    }
}
