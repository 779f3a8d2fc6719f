package io.ranksort4j.eval;

import io.ranksort4j.core.registry.Family;
import io.ranksort4j.eval.data.Detection;
import java.util.Collection;
import java.util.Map;

/**
 * Accumulates a model's detections over an evaluation pass and scores them, for training loops:
 * {@code reset()} at the start of a pass, {@code process(batch)} per batch, {@code evaluate()} at the end.
 */
public interface Evaluator {
    /** The registry family: names {@code coco} and {@code lvis}. */
    Family<EvaluatorFactory> FAMILY = new Family<>("evaluator", EvaluatorFactory.class,
            "detection metrics (COCO AP/AR, LVIS federated AP, oLRP) for a ground-truth set");

    /** Forgets every detection processed so far. */
    void reset();

    /** Adds detections (validated against the ground truth; an invalid one throws naming it). */
    void process(Collection<Detection> detections);

    /** Scores everything processed since the last reset: metric name to value (fractions, -1 where undefined). */
    Map<String, Double> evaluate();
}
