package io.ranksort4j.detectors.rpn;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.box.Nms;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * RPN proposals as mmdetection 2.x's RPNHead._get_bboxes_single and _bbox_post_process make them: per level the
 * nms_pre best sigmoid scores, their deltas decoded and clipped to the image, boxes with width or height not above
 * min_bbox_size dropped, batched NMS with the level as the class, the best max_per_img.
 *
 * <p>Exact score ties are ordered by flat anchor index (level first), as torch orders them with stable sorts;
 * mmdet's own top-k sort is not stable, so its tie order is unspecified (and CPU torch does reorder ties).
 */
public final class ProposalGenerator {
    private final ProposalParams params;
    private final DeltaXywhCoder coder;

    public ProposalGenerator(ProposalParams params, DeltaXywhCoder coder) {
        this.params = params;
        this.coder = coder;
    }

    public ProposalParams params() {
        return params;
    }

    /** Proposals of every image of a batch; sizes[i] = {height, width} of image i (resized, unpadded). */
    public List<Proposals> generate(List<HeadOutputs> outputs, Anchors anchors, int[][] sizes) {
        List<Proposals> out = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            out.add(generate(outputs.get(i).logits(), outputs.get(i).deltas(), anchors, sizes[i][1], sizes[i][0]));
        }
        return out;
    }

    /**
     * @param logits one RPN logit per anchor, in the anchors' flat order (level, y, x, anchor)
     * @param deltas four deltas per anchor, same order
     * @param imgW,imgH size of the resized (unpadded) image, mmdet's img_shape, for clipping
     */
    public Proposals generate(float[] logits, float[] deltas, Anchors anchors, int imgW, int imgH) {
        if (logits.length != anchors.count() || deltas.length != 4 * anchors.count()) {
            throw new IllegalArgumentException("RPN outputs: expected " + anchors.count() + " logits and "
                    + 4 * anchors.count() + " deltas, got " + logits.length + " and " + deltas.length);
        }
        int n = anchors.count();
        float[] score = new float[n];
        for (int a = 0; a < n; a++) {
            score[a] = (float) (1 / (1 + Math.exp(-(double) logits[a])));
        }
        List<Integer> cand = new ArrayList<>();
        for (int l = 0; l < anchors.levels(); l++) {
            List<Integer> level = new ArrayList<>();
            for (int a = anchors.levelStart()[l]; a < anchors.levelStart()[l + 1]; a++) {
                level.add(a);
            }
            // mmdet sorts only when it truncates; unsorted levels keep anchor order, which NMS's stable sort
            // turns into the same tie order anyway
            if (params.nmsPre() < level.size()) {
                level.sort((x, y) -> Float.compare(score[y], score[x]));
                level = level.subList(0, params.nmsPre());
            }
            cand.addAll(level);
        }
        int m = cand.size();
        float[] boxes = new float[4 * m];
        float[] scores = new float[m];
        int[] levels = new int[m];
        int kept = 0;
        for (int a : cand) {
            coder.decode(anchors.boxes(), a, deltas, a, boxes, kept, imgW, imgH);
            float w = boxes[4 * kept + 2] - boxes[4 * kept];
            float h = boxes[4 * kept + 3] - boxes[4 * kept + 1];
            // negated so a negative min_bbox_size keeps everything, as mmdet skips the filter then
            if (params.minBboxSize() >= 0 && !(w > params.minBboxSize() && h > params.minBboxSize())) {
                continue;
            }
            scores[kept] = score[a];
            levels[kept] = anchors.levelOf(a);
            kept++;
        }
        // mmcv's batched_nms with the level as the class
        List<Integer> keep = Nms.batched(boxes, scores, levels, kept, params.nmsIou());
        int k = Math.min(keep.size(), params.maxPerImg());
        float[] outBoxes = new float[4 * k];
        float[] outScores = new float[k];
        int[] outLevels = new int[k];
        for (int q = 0; q < k; q++) {
            int i = keep.get(q);
            System.arraycopy(boxes, 4 * i, outBoxes, 4 * q, 4);
            outScores[q] = scores[i];
            outLevels[q] = levels[i];
        }
        return new Proposals(outBoxes, outScores, outLevels);
    }
}
