package io.ranksort4j.eval;

import io.ranksort4j.eval.data.GroundTruth;

/** What the {@code evaluator} family's components are: a configured protocol waiting for its ground truth. */
@FunctionalInterface
public interface EvaluatorFactory {
    /** An evaluator of detections against {@code gt}. */
    Evaluator create(GroundTruth gt);
}
