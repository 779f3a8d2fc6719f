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
 * The ATSS baseline's recipe (mmdetection ATSSHead): binary targets with a pointwise loss (focal) normalised
 * by the positives, GIoU on decoded boxes weighted by the centerness targets, and a centerness BCE branch.
 */
public final class FocalAtssLoss extends AnchorHeadLoss {
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final ClassificationLoss centerness;

    public FocalAtssLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, ClassificationLoss centerness) {
        super(assigner, coder);
        this.cls = cls;
        this.box = box;
        this.centerness = centerness;
    }

    @Override
    public boolean usesCenterness() {
        return true;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        Positives p = positives(outs, gts, anchors);
        int n = p.count();
        float[] ones = ones(n);
        ClassificationLossResult c = cls.compute(p.logits, p.targets(ones));
        List<HeadGradients> grads = p.gradients(c.grad(), true);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_cls", c.loss());
        double total = c.loss();
        if (n > 0) {
            float[] ctrTarget = centernessTargets(p, anchors);
            double sum = 0;
            for (float t : ctrTarget) {
                sum += t;
            }
            BoxLossResult b = box.compute(p.predBoxes, p.gtBoxes, ctrTarget, sum > 0 ? sum : 1);
            p.addBoxGradients(b.grad(), 1, outs, grads, anchors, coder);
            double ctr = centernessLoss(centerness, p, ctrTarget, outs, grads);
            terms.put("loss_bbox", b.loss());
            terms.put("loss_centerness", ctr);
            total += b.loss() + ctr;
        }
        terms.put("num_pos", (double) n);
        return new HeadLossResult(total, terms, grads);
    }
}
