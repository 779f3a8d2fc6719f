package io.ranksort4j.detectors.head;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RetinaNet's recipe (mmdetection RetinaHead): binary targets (ignored anchors excluded) with a pointwise loss,
 * and a loss on the encoded deltas (L1 by default) normalised by the number of positives.
 */
public final class RetinaLoss extends AnchorHeadLoss {
    private final ClassificationLoss cls;
    private final BoxLoss box;

    public RetinaLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box) {
        super(assigner, coder);
        this.cls = cls;
        this.box = box;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        Positives p = positives(outs, gts, anchors);
        int n = p.count();
        float[] ones = ones(n);
        ClassificationLossResult c = cls.compute(p.logits, p.targets(ones));
        List<HeadGradients> grads = p.gradients(c.grad(), false);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_cls", c.loss());
        double total = c.loss();
        if (n > 0) {
            float[] pred = new float[4 * n];
            float[] target = new float[4 * n];
            for (int k = 0; k < n; k++) {
                System.arraycopy(outs.get(p.image[k]).deltas(), 4 * p.anchor[k], pred, 4 * k, 4);
                coder.encode(anchors.boxes(), p.anchor[k], p.gtBoxes, k, target, k);
            }
            float[] w = ones;
            BoxLossResult b = box.compute(pred, target, w, n);
            for (int k = 0; k < n; k++) {
                System.arraycopy(b.grad(), 4 * k, grads.get(p.image[k]).deltas(), 4 * p.anchor[k], 4);
            }
            terms.put("loss_bbox", b.loss());
            total += b.loss();
        }
        terms.put("num_pos", (double) n);
        return new HeadLossResult(total, terms, grads);
    }
}
