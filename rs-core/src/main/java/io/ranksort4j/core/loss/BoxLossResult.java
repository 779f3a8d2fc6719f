package io.ranksort4j.core.loss;

/** A box loss value, its gradient w.r.t. the 4n predicted values, and each box's unweighted loss. */
public record BoxLossResult(double loss, float[] grad, float[] perBox) {}
