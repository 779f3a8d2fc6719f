package io.ranksort4j.eval;

import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.lvis.LvisEval;
import io.ranksort4j.eval.lvis.LvisResult;
import java.util.List;
import java.util.Map;

/** {@link Evaluator} computing lvis-api's federated metrics (and oLRP when asked). */
public final class LvisEvaluator extends CollectingEvaluator<LvisResult> {
    private final LvisEval.Params params;

    public LvisEvaluator(GroundTruth gt, LvisEval.Params params, boolean lrp) {
        super(gt, lrp);
        this.params = params;
    }

    @Override
    LvisResult evaluate(GroundTruth gt, List<Detection> dets) {
        return LvisEval.evaluate(gt, dets, params);
    }

    @Override
    Map<String, Double> stats(LvisResult r) {
        return r.statsMap();
    }

    @Override
    Map<String, Double> lrpStats(LvisResult r) {
        return r.lrpMap();
    }
}
