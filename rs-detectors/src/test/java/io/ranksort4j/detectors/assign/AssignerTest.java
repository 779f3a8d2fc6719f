package io.ranksort4j.detectors.assign;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.Boxes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignerTest {
    private final Anchors anchors = new AnchorGenerator(new AnchorParams(8, 1, List.of(1.0), List.of(8, 16, 32)))
            .generate(AnchorGenerator.featureSizes(64, 64, List.of(8, 16, 32)));

    /** ATSS by its definition, written the slow way: candidates, mean + std threshold, centre inside. */
    @Test
    void atssPositivesAreTheCandidatesAboveMeanPlusStdWithCentreInside() {
        float[] gt = {12, 10, 44, 50};
        int[] got = new AtssAssigner(9).assign(anchors, gt).gtIndex();
        float[] a = anchors.boxes();
        double cx = 28;
        double cy = 30;
        List<Integer> cand = new ArrayList<>();
        for (int l = 0; l < 3; l++) {
            List<Integer> level = new ArrayList<>();
            for (int i = anchors.levelStart()[l]; i < anchors.levelStart()[l + 1]; i++) {
                level.add(i);
            }
            level.sort((x, y) -> Double.compare(dist(a, x, cx, cy), dist(a, y, cx, cy)));
            cand.addAll(level.subList(0, Math.min(9, level.size())));
        }
        double[] ious = cand.stream().mapToDouble(i -> Boxes.iou(a, i, gt, 0, 1e-6)).toArray();
        double mean = java.util.Arrays.stream(ious).average().orElseThrow();
        double var = java.util.Arrays.stream(ious).map(v -> (v - mean) * (v - mean)).sum() / (ious.length - 1);
        double thr = mean + Math.sqrt(var);
        int expected = 0;
        for (int q = 0; q < cand.size(); q++) {
            int i = cand.get(q);
            double ax = (a[4 * i] + a[4 * i + 2]) / 2.0;
            double ay = (a[4 * i + 1] + a[4 * i + 3]) / 2.0;
            boolean inside = Math.min(Math.min(ax - 12, ay - 10), Math.min(44 - ax, 50 - ay)) > 0.01;
            boolean pos = ious[q] >= thr && inside;
            assertThat(got[i] == 1).as("anchor %d", i).isEqualTo(pos);
            expected += pos ? 1 : 0;
        }
        assertThat(new io.ranksort4j.detectors.assign.Assignment(got).numPositives()).isEqualTo(expected).isPositive();
    }

    private static double dist(float[] a, int i, double cx, double cy) {
        double ax = (a[4 * i] + a[4 * i + 2]) / 2.0;
        double ay = (a[4 * i + 1] + a[4 * i + 3]) / 2.0;
        return Math.hypot(ax - cx, ay - cy);
    }

    @Test
    void maxIouMarksPositivesBackgroundAndIgnoredAndGivesEveryGtItsBestAnchor() {
        float[] gt = {0, 0, 40, 40};
        int[] got = new MaxIouAssigner(0.5, 0.4, 0.0).assign(anchors, gt).gtIndex();
        float[] a = anchors.boxes();
        int best = 0;
        for (int i = 0; i < anchors.count(); i++) {
            if (Boxes.iou(a, i, gt, 0, 1e-6) > Boxes.iou(a, best, gt, 0, 1e-6)) {
                best = i;
            }
        }
        assertThat(got[best]).isEqualTo(1);
        for (int i = 0; i < anchors.count(); i++) {
            double iou = Boxes.iou(a, i, gt, 0, 1e-6);
            if (iou == Boxes.iou(a, best, gt, 0, 1e-6)) {
                assertThat(got[i]).as("anchor %d ties the best IoU (gt_max_assign_all)", i).isEqualTo(1);
            } else {
                int want = iou >= 0.5 ? 1 : iou < 0.4 ? Assignment.BACKGROUND : Assignment.IGNORE;
                assertThat(got[i]).as("anchor %d iou %f", i, iou).isEqualTo(want);
            }
        }
    }

    /** With low-quality matching off (R-CNN's RoI stage) a GT no longer takes its best box from a better-matching GT. */
    @Test
    void lowQualityMatchingCanBeTurnedOff() {
        Anchors one = new Anchors(new float[] {0, 0, 10, 8}, new int[] {0, 1}, new int[0][], 1);
        // IoU 0.8 with GT 0, 0.75 with GT 1, which is GT 1's best box
        float[] gt = {0, 0, 10, 10, 0, 0, 10, 6};
        assertThat(new MaxIouAssigner(0.5, 0.5, 0.5).assign(one, gt).gtIndex()).containsExactly(2);
        assertThat(new MaxIouAssigner(0.5, 0.5, 0.5, false).assign(one, gt).gtIndex()).containsExactly(1);
    }
}
