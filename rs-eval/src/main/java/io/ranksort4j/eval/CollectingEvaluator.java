package io.ranksort4j.eval;

import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.ResultsReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the evaluators share: detections validated and collected between resets, then evaluated in one pass. */
abstract class CollectingEvaluator<R> implements Evaluator {
    private final GroundTruth gt;
    private final boolean lrp;
    private final List<Detection> dets = new ArrayList<>();
    private R last;

    CollectingEvaluator(GroundTruth gt, boolean lrp) {
        this.gt = gt;
        this.lrp = lrp;
    }

    /** The protocol's evaluation of everything collected. */
    abstract R evaluate(GroundTruth gt, List<Detection> dets);

    abstract Map<String, Double> stats(R result);

    abstract Map<String, Double> lrpStats(R result);

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
        last = evaluate(gt, dets);
        Map<String, Double> m = new LinkedHashMap<>(stats(last));
        if (lrp) {
            m.putAll(lrpStats(last));
        }
        return m;
    }

    /** The full result of the last {@link #evaluate()} (per-category tables, PR curves), or null. */
    public synchronized R lastResult() {
        return last;
    }
}
