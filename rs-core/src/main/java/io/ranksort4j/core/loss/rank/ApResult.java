package io.ranksort4j.core.loss.rank;

/** AP loss in double precision: 1 − mean interpolated precision, the gradient and the number of positives. */
public record ApResult(double loss, double[] grad, int numPositives) {}
