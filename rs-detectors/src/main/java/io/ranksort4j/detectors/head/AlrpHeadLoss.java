package io.ranksort4j.detectors.head;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.core.loss.rank.AlrpResult;
import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * aLRP Loss's head (Oksuz et al., NeurIPS 2020; docs/losses.md §4): binary targets, each positive's GIoU loss is its
 * localisation error e_i inside the ranking; L = L_cls + w_SB·L_loc with the self-balance weight updated every
 * period, and the box gradient is w_SB · ∂L_loc/∂e_i · ∂GIoU_i/∂box.
 */
public final class AlrpHeadLoss extends AnchorHeadLoss {
    private final AlrpLoss alrp;
    private final BoxLoss box;

    public AlrpHeadLoss(Assigner assigner, DeltaXywhCoder coder, AlrpLoss alrp, BoxLoss box) {
        super(assigner, coder);
        this.alrp = alrp;
        this.box = box;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        Positives p = positives(outs, gts, anchors);
        int n = p.count();
        float[] ones = ones(n);
        // per-positive GIoU losses, unweighted: e_i, in flattened (image, anchor) order as aLRP expects
        BoxLossResult b = n > 0 ? box.compute(p.predBoxes, p.gtBoxes, ones, 1) : null;
        float[] e = b == null ? new float[0] : b.perBox();
        AlrpResult r = alrp.compute(p.logits, p.targets(ones), e);
        float[] logitGrad = new float[r.grad().length];
        for (int i = 0; i < logitGrad.length; i++) {
            logitGrad[i] = (float) r.grad()[i];
        }
        List<HeadGradients> grads = p.gradients(logitGrad, false);
        double w = r.sbWeight();
        if (n > 0) {
            // b.grad() is dGIoU_k/dbox (weight 1, avg 1); scale each box by ∂L_loc/∂e_k, then by w_SB
            float[] g = b.grad().clone();
            for (int k = 0; k < n; k++) {
                for (int c = 0; c < 4; c++) {
                    g[4 * k + c] *= (float) r.locGrad()[k];
                }
            }
            p.addBoxGradients(g, w, outs, grads, anchors, coder);
        }
        alrp.selfBalance().update(r.clsLoss(), r.locLoss());
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_cls", r.clsLoss());
        terms.put("loss_bbox", w * r.locLoss());
        terms.put("sb_weight", w);
        terms.put("num_pos", (double) n);
        return new HeadLossResult(r.total(), terms, grads);
    }

    @Override
    public Map<String, TrainingState> trainingState() {
        return Map.of("loss_cls.self_balance", alrp.selfBalance());
    }
}
