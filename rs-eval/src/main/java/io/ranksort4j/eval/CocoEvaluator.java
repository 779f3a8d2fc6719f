package io.ranksort4j.eval;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.ResultsReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link Evaluator} computing pycocotools' 12 stats (and oLRP when asked). */
public final class CocoEvaluator implements Evaluator {
    private final GroundTruth gt;
    private final CocoEval.Params params;
    private final boolean lrp;
    private final List<Detection> dets = new ArrayList<>();
    private CocoResult last;

    public CocoEvaluator(GroundTruth gt, CocoEval.Params params, boolean lrp) {
        this.gt = gt;
        this.params = params;
        this.lrp = lrp;
    }

    @Override
    public synchronized void reset() {
        dets.clear();
        last = null;
    }

    @Override
    public synchronized void process(Collection<Detection> detections) {
        for (Detection d : detections) {
            ResultsReader.validate(d, gt, "detection " + dets.size());
            dets.add(d);
        }
    }

    @Override
    public synchronized Map<String, Double> evaluate() {
        last = CocoEval.evaluate(gt, dets, params);
        Map<String, Double> m = new LinkedHashMap<>(last.statsMap());
        if (lrp) {
            m.putAll(last.lrpMap());
        }
        return m;
    }

    /** The full result of the last {@link #evaluate()} (per-category tables, PR curves), or null. */
    public synchronized CocoResult lastResult() {
        return last;
    }
}
