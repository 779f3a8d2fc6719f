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
 * per-class NMS, the best max_per_img, (PAA) score voting, and boxes rescaled to the original image. PAA's IoU
 * branch rides on the centerness output and joins as √(score · IoU) ({@link TestParams.BranchScore#SQRT}).
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
            boolean sqrt = out.centerness() != null && params.branchScore() == TestParams.BranchScore.SQRT;
            float max = 0;
            for (int c = 0; c < classes; c++) {
                double prod = sigmoid(out.logits()[a * classes + c]) * factor;
                float s = (float) (sqrt ? Math.sqrt(prod) : prod);
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
        float[] voted = new float[4];
        for (int q = 0; q < Math.min(kept.size(), params.maxPerImg()); q++) {
            int k = kept.get(q);
            float[] src = pairBox;
            int at = 4 * k;
            if (params.scoreVoting()) {
                vote(pairBox, k, pairScore, pairLabel, pairs, voted);
                src = voted;
                at = 0;
            }
            dets.add(new Detection((float) (src[at] / scale), (float) (src[at + 1] / scale),
                    (float) (src[at + 2] / scale), (float) (src[at + 3] / scale), pairLabel[k], pairScore[k]));
        }
        return dets;
    }

    /**
     * mmdetection's PAAHead.score_voting for kept pair k: the mean of the same class's candidate pairs (all pairs
     * above score_thr, before NMS) with IoU &gt; 0.01, weighted by exp(−(1 − IoU)² / 0.025) · score; the score stays.
     */
    static void vote(float[] box, int k, float[] score, int[] label, int pairs, float[] out) {
        double sx1 = 0;
        double sy1 = 0;
        double sx2 = 0;
        double sy2 = 0;
        double sw = 0;
        for (int q = 0; q < pairs; q++) {
            if (label[q] != label[k]) {
                continue;
            }
            double iou = io.ranksort4j.detectors.box.Boxes.iou(box, k, box, q, 1e-6);
            if (!(iou > 0.01)) {
                continue;
            }
            double w = Math.exp(-(1 - iou) * (1 - iou) / 0.025) * score[q];
            sx1 += w * box[4 * q];
            sy1 += w * box[4 * q + 1];
            sx2 += w * box[4 * q + 2];
            sy2 += w * box[4 * q + 3];
            sw += w;
        }
        out[0] = (float) (sx1 / sw);
        out[1] = (float) (sy1 / sw);
        out[2] = (float) (sx2 / sw);
        out[3] = (float) (sy2 / sw);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
