package io.ranksort4j.detectors.head;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.PaaAssigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.List;

/** What every anchor-based recipe starts from: an assigner and a box coder, and the batch's positives. */
abstract class AnchorHeadLoss implements DenseHeadLoss {
    final Assigner assigner;
    final DeltaXywhCoder coder;

    AnchorHeadLoss(Assigner assigner, DeltaXywhCoder coder) {
        this.assigner = assigner;
        this.coder = coder;
    }

    Positives positives(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        if (assigner instanceof PaaAssigner paa) {
            // PAA scores its candidates with the current outputs (detached: assignment carries no gradient)
            return Positives.ofImages(outs, gts, anchors, (i, gt) -> {
                HeadOutputs o = outs.get(i);
                int classes = o.logits().length / anchors.count();
                PaaAssigner.Predictions pred = new PaaAssigner.Predictions(o.logits(), classes,
                        (a, box) -> coder.decode(anchors.boxes(), a, o.deltas(), a, box, 0, 0, 0));
                return paa.assign(anchors, gt.boxes(), gt.labels(), pred, gt.imageWidth(), gt.imageHeight(), -1);
            }, coder);
        }
        return Positives.of(outs, gts, anchors, assigner, coder);
    }

    static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    /** FCOS/ATSS centerness of each positive's anchor centre inside its GT box. */
    static float[] centernessTargets(Positives p, Anchors anchors) {
        float[] a = anchors.boxes();
        float[] gt = p.gtBoxes;
        float[] out = new float[p.count()];
        for (int k = 0; k < out.length; k++) {
            int i = p.anchor[k];
            double ax = (a[4 * i] + a[4 * i + 2]) / 2.0;
            double ay = (a[4 * i + 1] + a[4 * i + 3]) / 2.0;
            double l = ax - gt[4 * k];
            double t = ay - gt[4 * k + 1];
            double r = gt[4 * k + 2] - ax;
            double b = gt[4 * k + 3] - ay;
            out[k] = (float) Math.sqrt(Math.min(l, r) / Math.max(l, r) * (Math.min(t, b) / Math.max(t, b)));
        }
        return out;
    }

    /** The centerness branch's loss over the positives; its gradient goes into {@code grads}. */
    static double centernessLoss(ClassificationLoss loss, Positives p, float[] target, List<HeadOutputs> outs, List<HeadGradients> grads) {
        int n = p.count();
        float[] logit = new float[n];
        for (int k = 0; k < n; k++) {
            logit[k] = outs.get(p.image[k]).centerness()[p.anchor[k]];
        }
        ClassificationLossResult r = loss.compute(logit, target);
        for (int k = 0; k < n; k++) {
            grads.get(p.image[k]).centerness()[p.anchor[k]] = r.grad()[k];
        }
        return r.loss();
    }
}
