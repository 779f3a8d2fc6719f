package io.ranksort4j.detectors.head;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.PaaAssigner;
import io.ranksort4j.detectors.box.Boxes;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The PAA baseline's recipe (mmdetection 2.x PAAHead): PAA assignment, binary targets with focal loss over the
 * positives, GIoU on decoded boxes weighted by each positive's (detached) IoU with its GT, and an IoU-prediction
 * branch trained with BCE towards that IoU. The branch is the head's centerness output; at test it joins the
 * class score as √(score · IoU) and kept boxes are score-voted ({@link TestParams}).
 */
public final class PaaLoss extends AnchorHeadLoss {
    /** mmdetection's EPS for the IoU weights of the box loss. */
    private static final double EPS = 1e-12;
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final ClassificationLoss iouBranch;

    public PaaLoss(PaaAssigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, ClassificationLoss iouBranch) {
        super(assigner, coder);
        this.cls = cls;
        this.box = box;
        this.iouBranch = iouBranch;
    }

    @Override
    public boolean usesCenterness() {
        return true;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        Positives p = positives(outs, gts, anchors);
        int n = p.count();
        ClassificationLossResult c = cls.compute(p.logits, p.targets(ones(n)));
        List<HeadGradients> grads = p.gradients(c.grad(), true);
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_cls", c.loss());
        double total = c.loss();
        if (n > 0) {
            float[] iou = new float[n];
            float[] weight = new float[n];
            double sum = 0;
            for (int k = 0; k < n; k++) {
                iou[k] = (float) Boxes.iou(p.predBoxes, k, p.gtBoxes, k, 1e-6);
                weight[k] = (float) Math.max(iou[k], EPS);
                sum += iou[k];
            }
            BoxLossResult b = box.compute(p.predBoxes, p.gtBoxes, weight, sum > 0 ? sum : 1);
            p.addBoxGradients(b.grad(), 1, outs, grads, anchors, coder);
            double iouLoss = centernessLoss(iouBranch, p, iou, outs, grads);
            terms.put("loss_bbox", b.loss());
            terms.put("loss_iou", iouLoss);
            total += b.loss() + iouLoss;
        }
        terms.put("num_pos", (double) n);
        return new HeadLossResult(total, terms, grads);
    }
}
