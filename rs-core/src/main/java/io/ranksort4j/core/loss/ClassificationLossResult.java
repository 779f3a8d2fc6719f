package io.ranksort4j.core.loss;

import java.util.Map;

/**
 * A classification loss value, its gradient w.r.t. every logit, the positives it saw and its named parts
 * (e.g. {@code ranking_loss}, {@code sorting_loss}) for logging.
 */
public record ClassificationLossResult(double loss, float[] grad, int numPositives, Map<String, Double> terms) {
    public ClassificationLossResult {
        terms = Map.copyOf(terms);
    }

    /** True when the batch had no positive: loss 0 and zero gradient by contract. */
    public boolean noPositives() {
        return numPositives == 0;
    }
}
