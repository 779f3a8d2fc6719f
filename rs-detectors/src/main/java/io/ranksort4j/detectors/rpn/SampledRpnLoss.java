package io.ranksort4j.detectors.rpn;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.RandomSampler;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mmdetection's baseline RPN (Faster / Mask R-CNN): per image a random sample of anchors (256, half positive),
 * objectness trained on the sample only (BCE averages over it), box deltas of the sampled positives regressed
 * against their encoded GT (L1, averaged over the batch's whole sample, mmdet's num_total_samples), all scaled by
 * the head weight.
 */
public final class SampledRpnLoss implements RpnRecipe {
    private final Assigner assigner;
    private final RandomSampler sampler;
    private final DeltaXywhCoder coder;
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final double headWeight;
    private final int allowedBorder;

    public SampledRpnLoss(Assigner assigner, RandomSampler sampler, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, double headWeight) {
        this(assigner, sampler, coder, cls, box, headWeight, -1);
    }

    /** {@code allowedBorder}: mmdetection's train_cfg.rpn.allowed_border (−1: anchors over the image's cells; ≥ 0: inside it). */
    public SampledRpnLoss(Assigner assigner, RandomSampler sampler, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, double headWeight,
                          int allowedBorder) {
        this.allowedBorder = allowedBorder;
        this.assigner = assigner;
        this.sampler = sampler;
        this.coder = coder;
        this.cls = cls;
        this.box = box;
        this.headWeight = headWeight;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        int n = anchors.count();
        float[] logits = new float[outs.size() * n];
        float[] target = new float[logits.length];
        Arrays.fill(target, -1);
        List<int[]> pos = new ArrayList<>(); // image, anchor, GT
        int sampled = 0;
        RpnRecipe.checkShapes(outs, anchors);
        for (int i = 0; i < outs.size(); i++) {
            HeadOutputs o = outs.get(i);
            System.arraycopy(o.logits(), 0, logits, i * n, n);
            GroundTruth gt = gts.get(i);
            int[] g = assigner.assignInside(anchors, gt.boxes(), gt.imageWidth(), gt.imageHeight(), allowedBorder).gtIndex();
            RandomSampler.Sample s = sampler.sample(g, RandomSampler.randomFor(gts.get(i).boxes(), o.logits()));
            for (int a : s.positives()) {
                target[i * n + a] = 1;
                pos.add(new int[] {i, a, g[a] - 1});
            }
            for (int a : s.negatives()) {
                target[i * n + a] = 0;
            }
            sampled += s.size();
        }
        ClassificationLossResult c = cls.compute(logits, target);
        List<HeadGradients> grads = new ArrayList<>(outs.size());
        for (int i = 0; i < outs.size(); i++) {
            float[] g = Arrays.copyOfRange(c.grad(), i * n, (i + 1) * n);
            for (int a = 0; a < n; a++) {
                g[a] *= (float) headWeight;
            }
            grads.add(new HeadGradients(g, new float[4 * n], null));
        }
        int p = pos.size();
        double boxLoss = 0;
        if (p > 0) {
            float[] pred = new float[4 * p];
            float[] delta = new float[4 * p];
            float[] weight = new float[p];
            Arrays.fill(weight, 1);
            for (int k = 0; k < p; k++) {
                int[] q = pos.get(k);
                System.arraycopy(outs.get(q[0]).deltas(), 4 * q[1], pred, 4 * k, 4);
                coder.encode(anchors.boxes(), q[1], gts.get(q[0]).boxes(), q[2], delta, k);
            }
            BoxLossResult b = box.compute(pred, delta, weight, sampled);
            boxLoss = b.loss();
            for (int k = 0; k < p; k++) {
                int[] q = pos.get(k);
                float[] d = grads.get(q[0]).deltas();
                for (int j = 0; j < 4; j++) {
                    d[4 * q[1] + j] = (float) (headWeight * b.grad()[4 * k + j]);
                }
            }
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_rpn_cls", headWeight * c.loss());
        terms.put("loss_rpn_bbox", headWeight * boxLoss);
        terms.put("num_pos", (double) p);
        return new HeadLossResult(headWeight * (c.loss() + boxLoss), terms, grads);
    }
}
