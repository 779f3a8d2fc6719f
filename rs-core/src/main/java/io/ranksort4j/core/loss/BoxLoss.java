package io.ranksort4j.core.loss;

/** A regression loss over n boxes (or box deltas) of 4 values each, with its gradient w.r.t. the prediction. */
public interface BoxLoss extends Loss {
    /**
     * @param pred      4n predicted values (boxes as x1, y1, x2, y2, or deltas for L1-type losses)
     * @param target    4n target values in the same form
     * @param weight    n per-box weights (e.g. RS-ATSS weights GIoU by the max class score)
     * @param avgFactor the normaliser: loss = Σ weight_i · l_i / avgFactor
     */
    BoxLossResult compute(float[] pred, float[] target, float[] weight, double avgFactor);
}
