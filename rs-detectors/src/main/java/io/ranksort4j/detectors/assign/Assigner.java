package io.ranksort4j.detectors.assign;

import io.ranksort4j.core.registry.Family;
import io.ranksort4j.detectors.anchor.Anchors;

/** Decides which anchors learn which ground-truth box: the swappable part of a dense head's training. */
public interface Assigner {
    Family<Assigner> FAMILY = new Family<>("assigner", Assigner.class, "anchor-to-GT assignment (atss, max_iou)");

    /**
     * @param anchors all anchors of one image
     * @param gt      flat (x1, y1, x2, y2) GT boxes of that image
     */
    Assignment assign(Anchors anchors, float[] gt);
}
