package io.ranksort4j.data.transform;

import java.util.List;

/**
 * Ground truth of one image in the resized frame: {@code boxes} as {@code [x1, y1, x2, y2]*n} with their
 * contiguous {@code labels}; crowd boxes apart in {@code ignoreBoxes} (mmdetection's {@code gt_bboxes_ignore});
 * {@code masks} one {@code width × height} bitmap per box, or null when masks were not asked for.
 */
public record Target(float[] boxes, int[] labels, float[] ignoreBoxes, List<byte[]> masks) {
    public int size() {
        return labels.length;
    }
}
