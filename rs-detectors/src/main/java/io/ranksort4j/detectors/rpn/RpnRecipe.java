package io.ranksort4j.detectors.rpn;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.List;

/** How an RPN is trained: RS-R-CNN's ranking over all anchors ({@link RsRpnLoss}) or a sampled baseline ({@link SampledRpnLoss}). */
public interface RpnRecipe {
    /** {@code outs}: per image A objectness logits and A × 4 deltas over {@code anchors}; GT labels are not used. */
    HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors);

    /** Rejects outputs that are not A logits and 4A deltas per image. */
    static void checkShapes(List<HeadOutputs> outs, Anchors anchors) {
        int n = anchors.count();
        for (int i = 0; i < outs.size(); i++) {
            HeadOutputs o = outs.get(i);
            if (o.logits().length != n || o.deltas().length != 4 * n) {
                throw new IllegalArgumentException("RPN outputs of image " + i + ": " + o.logits().length + " logits and "
                        + o.deltas().length + " deltas for " + n + " anchors; expected A and 4A");
            }
        }
    }
}
