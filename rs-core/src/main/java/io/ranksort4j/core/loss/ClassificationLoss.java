package io.ranksort4j.core.loss;

/**
 * A loss over the flattened classification logits of a whole batch that hands back dL/dlogit itself
 * (the error-driven "identity update" of ranking-based losses), so the detector back-propagates it.
 */
public interface ClassificationLoss extends Loss {
    /**
     * @param logits  flattened logits of the batch (anchors × classes)
     * @param targets same length; RS: IoU in (0,1] for positives, 0 negatives, &lt; 0 ignored;
     *                AP / aLRP / focal: 1 positive, 0 negative, anything else ignored
     * @return loss value(s) and the gradient for every logit (0 for ignored ones)
     */
    ClassificationLossResult compute(float[] logits, float[] targets);
}
