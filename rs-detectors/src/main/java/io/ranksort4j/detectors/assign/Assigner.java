package io.ranksort4j.detectors.assign;

import io.ranksort4j.core.registry.Family;
import io.ranksort4j.detectors.anchor.Anchors;

/** Decides which anchors learn which ground-truth box: the swappable part of a dense head's training. */
public interface Assigner {
    Family<Assigner> FAMILY = new Family<>("assigner", Assigner.class, "anchor-to-GT assignment (atss, max_iou, paa)");

    /**
     * @param anchors all anchors of one image
     * @param gt      flat (x1, y1, x2, y2) GT boxes of that image
     */
    Assignment assign(Anchors anchors, float[] gt);

    /**
     * Assigns only the anchors inside an image of this (unpadded) size ({@link Anchors#inside}), as mmdetection drops
     * the others before assignment (so ATSS's per-level top-k and max-IoU's best match see only them); the rest are
     * ignored. {@code allowedBorder} −1 keeps every anchor on the image's cells (mmdetection's default).
     */
    default Assignment assignInside(Anchors anchors, float[] gt, int imageWidth, int imageHeight, int allowedBorder) {
        boolean[] valid = anchors.inside(imageWidth, imageHeight, allowedBorder);
        if (valid == null) {
            return assign(anchors, gt);
        }
        int[] sub = assign(anchors.subset(valid), gt).gtIndex();
        int[] out = new int[anchors.count()];
        for (int i = 0, k = 0; i < out.length; i++) {
            out[i] = valid[i] ? sub[k++] : Assignment.IGNORE;
        }
        return new Assignment(out);
    }
}
