package io.ranksort4j.detectors.rcnn;

import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.roi.RoiAlign;

/**
 * mmdetection's mask_target for bitmap masks: the GT mask cropped to the RoI and resized to size × size by
 * RoIAlign (aligned, adaptive sampling, average) over the 0/1 bitmap, then binarised at 0.5.
 */
public final class MaskTargets {
    private MaskTargets() {}

    /** The target of one RoI (x1, y1, x2, y2 at {@code roi[off..off+4)}) for GT {@code j} of {@code gt}: size² values in {0, 1}. */
    public static float[] of(GroundTruth gt, int j, float[] roi, int off, int size) {
        if (gt.masks() == null) {
            throw new IllegalArgumentException("a mask head needs instance masks: set data.train.transform.with_masks = true");
        }
        byte[] m = gt.masks().get(j);
        float[] map = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            map[i] = m[i] != 0 ? 1f : 0f;
        }
        float[] r = {0, roi[off], roi[off + 1], roi[off + 2], roi[off + 3]};
        float[] t = new RoiAlign(new RoiAlign.Params(size, size, 1f, 0, true)).forward(map, 1, 1, gt.maskHeight(), gt.maskWidth(), r, 1);
        for (int i = 0; i < t.length; i++) {
            t[i] = t[i] >= 0.5f ? 1f : 0f;
        }
        return t;
    }
}
