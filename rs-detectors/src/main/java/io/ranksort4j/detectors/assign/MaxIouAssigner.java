package io.ranksort4j.detectors.assign;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.Boxes;

/**
 * mmdetection's MaxIoUAssigner: IoU ≥ pos_iou_thr positive, [0, neg_iou_thr) background, between ignored;
 * then every GT also claims the anchors of its highest IoU when that IoU ≥ min_pos_iou (gt_max_assign_all),
 * later GTs overwriting earlier ones. The second step is mmdetection's match_low_quality, which R-CNN's RoI
 * stage turns off.
 */
public final class MaxIouAssigner implements Assigner {
    private final double posIou;
    private final double negIou;
    private final double minPosIou;
    private final boolean matchLowQuality;

    public MaxIouAssigner(double posIou, double negIou, double minPosIou) {
        this(posIou, negIou, minPosIou, true);
    }

    /** {@code matchLowQuality} false skips the GT-claims-its-best-anchors step (mmdet's RoI assigner). */
    public MaxIouAssigner(double posIou, double negIou, double minPosIou, boolean matchLowQuality) {
        this.posIou = posIou;
        this.negIou = negIou;
        this.minPosIou = minPosIou;
        this.matchLowQuality = matchLowQuality;
    }

    @Override
    public Assignment assign(Anchors anchors, float[] gt) {
        int n = anchors.count();
        int g = Boxes.count(gt);
        int[] assigned = new int[n];
        if (g == 0 || n == 0) {
            return new Assignment(assigned);
        }
        float[] ov = Boxes.iouMatrix(anchors.boxes(), gt, 1e-6);
        float[] gtMax = new float[g];
        java.util.Arrays.fill(gtMax, -1f);
        for (int i = 0; i < n; i++) {
            float max = -1;
            int arg = 0;
            for (int j = 0; j < g; j++) {
                float v = ov[i * g + j];
                if (v > max) {
                    max = v;
                    arg = j;
                }
                gtMax[j] = Math.max(gtMax[j], v);
            }
            assigned[i] = max >= posIou ? arg + 1 : (max >= 0 && max < negIou ? Assignment.BACKGROUND : Assignment.IGNORE);
        }
        for (int j = 0; j < g && matchLowQuality; j++) {
            if (gtMax[j] >= minPosIou) {
                for (int i = 0; i < n; i++) {
                    if (ov[i * g + j] == gtMax[j]) {
                        assigned[i] = j + 1;
                    }
                }
            }
        }
        return new Assignment(assigned);
    }
}
