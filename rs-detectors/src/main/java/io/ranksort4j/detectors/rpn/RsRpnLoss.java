package io.ranksort4j.detectors.rpn;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.core.loss.box.GiouLoss;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.box.Boxes;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RS-Faster R-CNN's RPN recipe (docs/losses.md §7): every anchor of the batch in one RS problem (one objectness
 * logit each, ignored anchors excluded), GIoU weighted by the score and rescaled by λ = L_RS / L_box, and all
 * three terms scaled by the head weight (0.2) so the RPN does not dominate the RoI head.
 */
public final class RsRpnLoss implements RpnRecipe {
    /**
     * The official head compares predicted and target deltas both decoded about this box; decoding is an
     * axis-wise affine map shared by both, so IoU and GIoU equal those of the real decoded box and its GT.
     */
    private static final float[] UNIT = {-0.5f, -0.5f, 0.5f, 0.5f};
    private final Assigner assigner;
    private final DeltaXywhCoder coder;
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final double headWeight;
    private final int allowedBorder;

    public RsRpnLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, double headWeight) {
        this(assigner, coder, cls, box, headWeight, -1);
    }

    /** {@code allowedBorder}: mmdetection's train_cfg.rpn.allowed_border (−1: anchors over the image's cells; ≥ 0: inside it). */
    public RsRpnLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, double headWeight, int allowedBorder) {
        this.allowedBorder = allowedBorder;
        this.assigner = assigner;
        this.coder = coder;
        this.cls = cls;
        this.box = box;
        this.headWeight = headWeight;
    }

    /** ranksort_faster_rcnn's RPN: MaxIoU 0.7 / 0.3, min_pos_iou 0.3 with low-quality matches, stds .1 .1 .2 .2, weight 0.2. */
    public static RsRpnLoss standard() {
        return new RsRpnLoss(new MaxIouAssigner(0.7, 0.3, 0.3, true), DeltaXywhCoder.standard(),
                new RankSortLoss(0.5, 1e-10), new GiouLoss(1e-6, 1.0, true), 0.2);
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        int n = anchors.count();
        float[] logits = new float[outs.size() * n];
        float[] target = new float[logits.length];
        List<int[]> pos = new ArrayList<>(); // image, anchor, GT
        RpnRecipe.checkShapes(outs, anchors);
        for (int i = 0; i < outs.size(); i++) {
            System.arraycopy(outs.get(i).logits(), 0, logits, i * n, n);
            GroundTruth gt = gts.get(i);
            int[] g = assigner.assignInside(anchors, gt.boxes(), gt.imageWidth(), gt.imageHeight(), allowedBorder).gtIndex();
            for (int a = 0; a < n; a++) {
                if (g[a] == Assignment.IGNORE) {
                    target[i * n + a] = -1;
                } else if (g[a] > 0) {
                    pos.add(new int[] {i, a, g[a] - 1});
                }
            }
        }
        int p = pos.size();
        float[] pred = new float[4 * p];
        float[] gtBox = new float[4 * p];
        float[] gtDelta = new float[4 * p];
        float[] weight = new float[p];
        double weightSum = 0;
        for (int k = 0; k < p; k++) {
            int[] q = pos.get(k);
            coder.encode(anchors.boxes(), q[1], gts.get(q[0]).boxes(), q[2], gtDelta, k);
            coder.decode(UNIT, 0, gtDelta, k, gtBox, k, 0, 0);
            coder.decode(UNIT, 0, outs.get(q[0]).deltas(), q[1], pred, k, 0, 0);
            target[q[0] * n + q[1]] = (float) Boxes.iou(pred, k, gtBox, k, 1e-6);
            weight[k] = (float) (1 / (1 + Math.exp(-logits[q[0] * n + q[1]])));
            weightSum += weight[k];
        }
        ClassificationLossResult c = cls.compute(logits, target);
        List<HeadGradients> grads = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            float[] g = java.util.Arrays.copyOfRange(c.grad(), i * n, (i + 1) * n);
            for (int a = 0; a < n; a++) {
                g[a] *= (float) headWeight;
            }
            grads.add(new HeadGradients(g, new float[4 * n], null));
        }
        double boxLoss = 0;
        double lambda = 0;
        if (p > 0) {
            BoxLossResult b = box.compute(pred, gtBox, weight, weightSum < 1e-12 ? 1 : weightSum);
            // λ balances the unweighted terms; the head weight then scales all three alike
            lambda = b.loss() > 0 ? c.loss() / b.loss() : 0;
            boxLoss = lambda * b.loss();
            float[] scaled = new float[b.grad().length];
            for (int q = 0; q < scaled.length; q++) {
                scaled[q] = (float) (b.grad()[q] * lambda * headWeight);
            }
            for (int k = 0; k < p; k++) {
                int[] q = pos.get(k);
                coder.backward(UNIT, 0, outs.get(q[0]).deltas(), q[1], scaled, k, grads.get(q[0]).deltas());
            }
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_rpn_ranking", headWeight * c.terms().getOrDefault("ranking_loss", 0.0));
        terms.put("loss_rpn_sorting", headWeight * c.terms().getOrDefault("sorting_loss", 0.0));
        terms.put("loss_rpn_bbox", headWeight * boxLoss);
        terms.put("lambda", lambda);
        terms.put("num_pos", (double) p);
        return new HeadLossResult(headWeight * (c.loss() + boxLoss), terms, grads);
    }
}
