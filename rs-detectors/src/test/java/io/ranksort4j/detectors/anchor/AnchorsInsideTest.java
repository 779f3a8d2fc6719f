package io.ranksort4j.detectors.anchor;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.assign.AtssAssigner;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AnchorsInsideTest {
    private static final List<Integer> STRIDES = List.of(8, 16, 32, 64);
    private final AnchorGenerator gen = new AnchorGenerator(new AnchorParams(4, 3, List.of(0.5, 1.0, 2.0), STRIDES));

    /** mmdetection's rule written per anchor: the cell's row and column against ceil(image / stride), then the box. */
    private static boolean definitional(Anchors a, int i, int imgW, int imgH, int border) {
        int l = a.levelOf(i);
        int cell = (i - a.levelStart()[l]) / a.perLocation();
        int w = a.featureSizes()[l][1];
        int y = cell / w;
        int x = cell % w;
        int s = STRIDES.get(l);
        boolean valid = y < Math.ceil(imgH / (double) s) && x < Math.ceil(imgW / (double) s);
        float[] b = a.boxes();
        boolean inBorder = border < 0 || (b[4 * i] >= -border && b[4 * i + 1] >= -border && b[4 * i + 2] < imgW + border && b[4 * i + 3] < imgH + border);
        return valid && inBorder;
    }

    @Test
    void insideFlagsFollowMmdetectionsValidFlagsAndAllowedBorderOnRandomShapes() {
        Random r = new Random(5);
        for (int t = 0; t < 40; t++) {
            int padH = 32 * (1 + r.nextInt(8));
            int padW = 32 * (1 + r.nextInt(8));
            int imgH = 1 + r.nextInt(padH);
            int imgW = 1 + r.nextInt(padW);
            int border = r.nextInt(3) - 1;
            Anchors a = gen.generate(AnchorGenerator.featureSizes(padH, padW, STRIDES));
            boolean[] got = a.inside(imgW, imgH, border);
            int outside = 0;
            for (int i = 0; i < a.count(); i++) {
                boolean want = definitional(a, i, imgW, imgH, border);
                assertThat(got == null || got[i]).as("anchor %d of %dx%d in %dx%d, border %d", i, imgW, imgH, padW, padH, border).isEqualTo(want);
                outside += want ? 0 : 1;
            }
            assertThat(got == null).isEqualTo(outside == 0);
        }
    }

    @Test
    void anImageAsLargeAsThePaddedInputKeepsEveryAnchorOnItsCells() {
        Anchors a = gen.generate(AnchorGenerator.featureSizes(96, 64, STRIDES));
        assertThat(a.inside(64, 96, -1)).isNull();
        // a 40 × 20 image in a 64 × 96 batch: ceil(40/8) × ceil(20/8) = 5 × 3 cells at stride 8, 3 × 2, 2 × 1, 1 × 1 above
        boolean[] in = a.inside(40, 20, -1);
        int n = 0;
        for (boolean b : in) {
            n += b ? 1 : 0;
        }
        assertThat(n).isEqualTo(9 * (15 + 6 + 2 + 1));
    }

    @Test
    void assignmentSeesOnlyTheAnchorsInsideTheImageAndIgnoresTheRest() {
        Anchors a = gen.generate(AnchorGenerator.featureSizes(128, 128, STRIDES));
        float[] gt = {30, 20, 60, 58};
        for (var assigner : List.of(new AtssAssigner(9), new MaxIouAssigner(0.5, 0.4, 0.0, true))) {
            int[] all = assigner.assignInside(a, gt, 64, 64, -1).gtIndex();
            boolean[] in = a.inside(64, 64, -1);
            int[] sub = assigner.assign(a.subset(in), gt).gtIndex();
            for (int i = 0, k = 0; i < a.count(); i++) {
                if (in[i]) {
                    assertThat(all[i]).isEqualTo(sub[k++]);
                } else {
                    assertThat(all[i]).isEqualTo(Assignment.IGNORE);
                }
            }
            assertThat(java.util.Arrays.stream(all).filter(g -> g > 0).count()).as(assigner.getClass().getSimpleName()).isPositive();
        }
    }
}
