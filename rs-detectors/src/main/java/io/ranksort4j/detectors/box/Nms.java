package io.ranksort4j.detectors.box;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Greedy non-maximum suppression in Java (ND4J's op pads its output; see docs/dl4j.md §5). */
public final class Nms {
    /** mmcv's batched_nms shifts boxes apart below this many and runs NMS group by group from it on. */
    public static final int SPLIT_THR = 10_000;

    private Nms() {}

    /**
     * mmcv's {@code batched_nms} (class_agnostic=False) over boxes 0..n-1: boxes of different groups never suppress
     * each other. Returns kept indices in descending score order, ties by lower index.
     *
     * <p>Below {@link #SPLIT_THR} boxes it runs one NMS over boxes shifted by group × (max coordinate + 1), in
     * float32 as torch adds the offsets, so near-threshold IoUs round as they do there; from it on, one NMS per
     * group on the unshifted boxes, the kept ones re-sorted by score.
     */
    public static List<Integer> batched(float[] boxes, float[] scores, int[] groups, int n, double iouThr) {
        if (n == 0) {
            return new ArrayList<>();
        }
        if (n >= SPLIT_THR) {
            Map<Integer, List<Integer>> byGroup = new TreeMap<>();
            for (int i = 0; i < n; i++) {
                byGroup.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
            }
            List<Integer> keep = new ArrayList<>();
            for (List<Integer> idx : byGroup.values()) {
                keep.addAll(run(boxes, scores, idx, iouThr));
            }
            // mmcv takes the kept ones in index order before sorting; the stable sort keeps that for ties
            keep.sort(null);
            keep.sort((a, b) -> Float.compare(scores[b], scores[a]));
            return keep;
        }
        float max = Float.NEGATIVE_INFINITY;
        List<Integer> idx = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            idx.add(i);
            for (int c = 0; c < 4; c++) {
                max = Math.max(max, boxes[4 * i + c]);
            }
        }
        float[] shifted = new float[4 * n];
        float step = max + 1f;
        for (int i = 0; i < n; i++) {
            float off = groups[i] * step;
            for (int c = 0; c < 4; c++) {
                shifted[4 * i + c] = boxes[4 * i + c] + off;
            }
        }
        return run(shifted, scores, idx, iouThr);
    }

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
