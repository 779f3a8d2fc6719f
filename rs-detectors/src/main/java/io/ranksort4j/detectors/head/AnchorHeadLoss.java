package io.ranksort4j.detectors.head;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
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
        return Positives.of(outs, gts, anchors, assigner, coder);
    }

    static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
