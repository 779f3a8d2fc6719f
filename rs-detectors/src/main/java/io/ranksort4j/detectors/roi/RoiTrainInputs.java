package io.ranksort4j.detectors.roi;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.head.GroundTruth;
import java.util.Arrays;

/**
 * One image's RoI-head training inputs: the R proposals (flat x1, y1, x2, y2), and the head's outputs for the
 * R + G RoIs (proposals, then the image's G GT boxes appended as proposals): (R + G) × C sigmoid logits and
 * (R + G) × 4C class-specific deltas (class c's four at 4c), or (R + G) × 4 class-agnostic ones. Softmax heads
 * have C + 1 logits per RoI, background last, beside the same 4C deltas.
 */
public record RoiTrainInputs(float[] proposals, float[] logits, float[] deltas, GroundTruth gt) {
    public RoiTrainInputs {
        int rois = proposals.length / 4 + gt.count();
        if (proposals.length % 4 != 0 || rois == 0 || logits.length % rois != 0 || deltas.length != 4 * logits.length && deltas.length != 4 * rois
                && deltas.length != 4 * (logits.length - rois)) {
            throw new IllegalArgumentException("RoI inputs: " + proposals.length + " proposal values, " + gt.count() + " GTs, "
                    + logits.length + " logits and " + deltas.length + " deltas; expected 4R, (R+G)·C (or (R+G)·(C+1) with background) and (R+G)·4C (or (R+G)·4 class-agnostic)");
        }
    }

    /** R + G. */
    public int rois() {
        return proposals.length / 4 + gt.count();
    }

    /** Logits per RoI: C, or C + 1 with a background logit. */
    public int classes() {
        return logits.length / rois();
    }

    /** One set of deltas per RoI, shared by all classes. */
    public boolean classAgnostic() {
        return deltas.length == 4 * rois();
    }

    /**
     * The assignment of all R + G RoIs ({@link io.ranksort4j.detectors.assign.Assignment} codes): the proposals by
     * {@code assigner}, each GT RoI to its own GT whatever the overlaps say (mmdet's add_gt_as_proposals).
     */
    public int[] assign(Assigner assigner) {
        int r = proposals.length / 4;
        int[] g = Arrays.copyOf(assigner.assign(new Anchors(proposals, new int[] {0, r}, new int[0][], 1), gt.boxes()).gtIndex(), rois());
        for (int j = 0; j < gt.count(); j++) {
            g[r + j] = j + 1;
        }
        return g;
    }

    /** The RoIs the head saw: proposals followed by the GT boxes. */
    public float[] roiBoxes() {
        float[] b = Arrays.copyOf(proposals, 4 * rois());
        System.arraycopy(gt.boxes(), 0, b, proposals.length, gt.boxes().length);
        return b;
    }
}
