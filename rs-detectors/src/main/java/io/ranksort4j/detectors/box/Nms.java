package io.ranksort4j.detectors.box;

import java.util.ArrayList;
import java.util.List;

/** Greedy non-maximum suppression in Java (ND4J's op pads its output; see shared/notes/dl4j.md §5). */
public final class Nms {
    private Nms() {}

    /**
     * Indices of the kept boxes among {@code idx}, in descending score order (stable for ties): a box is dropped
     * when its IoU with a kept box exceeds {@code iouThr}, as mmcv's nms (offset 0).
     */
    public static List<Integer> run(float[] boxes, float[] scores, List<Integer> idx, double iouThr) {
        List<Integer> order = new ArrayList<>(idx);
        order.sort((a, b) -> Float.compare(scores[b], scores[a]));
        List<Integer> keep = new ArrayList<>();
        boolean[] dead = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            if (dead[i]) {
                continue;
            }
            int a = order.get(i);
            keep.add(a);
            for (int j = i + 1; j < order.size(); j++) {
                if (!dead[j] && Boxes.iou(boxes, a, boxes, order.get(j), 0) > iouThr) {
                    dead[j] = true;
                }
            }
        }
        return keep;
    }
}
