package io.ranksort4j.eval;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import java.util.List;
import java.util.Map;

/** {@link Evaluator} computing pycocotools' 12 stats (and oLRP when asked). */
public final class CocoEvaluator extends CollectingEvaluator<CocoResult> {
    private final CocoEval.Params params;

    public CocoEvaluator(GroundTruth gt, CocoEval.Params params, boolean lrp) {
        super(gt, lrp);
        this.params = params;
    }

    @Override
    CocoResult evaluate(GroundTruth gt, List<Detection> dets) {
        return CocoEval.evaluate(gt, dets, params);
    }

    @Override
    Map<String, Double> stats(CocoResult r) {
        return r.statsMap();
    }

    @Override
    Map<String, Double> lrpStats(CocoResult r) {
        return r.lrpMap();
    }
}
