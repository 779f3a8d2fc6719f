package io.ranksort4j.detectors.head;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.box.Nms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The dense heads' test pipeline as mmdetection runs it: sigmoid scores (times centerness when present), the
 * nms_pre best anchors per level, boxes decoded and clipped to the image, (box, class) pairs above score_thr,
 * per-class NMS, the best max_per_img, and boxes rescaled to the original image.
 */
public final class DensePostProcessor {
    private final TestParams params;
    private final DeltaXywhCoder coder;

    public DensePostProcessor(TestParams params, DeltaXywhCoder coder) {
        this.params = params;
        this.coder = coder;
    }

    /**
     * @param imgW,imgH   size of the resized (unpadded) image, for clipping
     * @param scale       resized / original, to map boxes back
     */
    public List<Detection> detect(HeadOutputs out, Anchors anchors, int imgW, int imgH, double scale) {
        int n = anchors.count();
        int classes = out.logits().length / n;
        float[] boxes = new float[4 * n];
        float[] maxScore = new float[n];
        float[] probs = new float[n * classes];
        for (int a = 0; a < n; a++) {
            double factor = out.centerness() == null ? 1 : sigmoid(out.centerness()[a]);
            float max = 0;
            for (int c = 0; c < classes; c++) {
                float s = (float) (sigmoid(out.logits()[a * classes + c]) * factor);
                probs[a * classes + c] = s;
                max = Math.max(max, s);
            }
            maxScore[a] = max;
        }
        List<Integer> candidates = new ArrayList<>();
        for (int l = 0; l < anchors.levels(); l++) {
            int from = anchors.levelStart()[l];
            int to = anchors.levelStart()[l + 1];
            List<Integer> level = new ArrayList<>();
            for (int a = from; a < to; a++) {
                level.add(a);
            }
            if (level.size() > params.nmsPre()) {
                level.sort((x, y) -> Float.compare(maxScore[y], maxScore[x]));
                level = level.subList(0, params.nmsPre());
            }
            candidates.addAll(level);
        }
        for (int a : candidates) {
            coder.decode(anchors.boxes(), a, out.deltas(), a, boxes, a, imgW, imgH);
        }
        // (box, class) pairs above the threshold, NMS per class
        Map<Integer, List<Integer>> perClass = new HashMap<>();
        float[] pairScore = new float[candidates.size() * classes];
        float[] pairBox = new float[4 * candidates.size() * classes];
        int pairs = 0;
        int[] pairLabel = new int[candidates.size() * classes];
        for (int a : candidates) {
            for (int c = 0; c < classes; c++) {
                float s = probs[a * classes + c];
                if (s > params.scoreThr()) {
                    pairScore[pairs] = s;
                    pairLabel[pairs] = c;
                    System.arraycopy(boxes, 4 * a, pairBox, 4 * pairs, 4);
                    perClass.computeIfAbsent(c, k -> new ArrayList<>()).add(pairs);
                    pairs++;
                }
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (List<Integer> idx : perClass.values()) {
            kept.addAll(Nms.run(pairBox, pairScore, idx, params.nmsIou()));
        }
        kept.sort((x, y) -> {
            int cmp = Float.compare(pairScore[y], pairScore[x]);
            return cmp != 0 ? cmp : Integer.compare(x, y);
        });
        List<Detection> dets = new ArrayList<>();
        for (int q = 0; q < Math.min(kept.size(), params.maxPerImg()); q++) {
            int k = kept.get(q);
            dets.add(new Detection((float) (pairBox[4 * k] / scale), (float) (pairBox[4 * k + 1] / scale),
                    (float) (pairBox[4 * k + 2] / scale), (float) (pairBox[4 * k + 3] / scale), pairLabel[k], pairScore[k]));
        }
        return dets;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
