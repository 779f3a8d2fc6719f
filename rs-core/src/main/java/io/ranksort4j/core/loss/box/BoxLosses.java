package io.ranksort4j.core.loss.box;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;

/** The weighted reduction shared by the box losses: loss = Σ w_i · l_i / avgFactor, with per-box gradients. */
abstract class BoxLosses implements BoxLoss {
    private final String name;
    private final double lossWeight;

    BoxLosses(String name, double lossWeight) {
        this.name = name;
        this.lossWeight = lossWeight;
    }

    /** Writes d l/d pred for box {@code b} into {@code g[4b..4b+3]} and returns l. */
    abstract double box(float[] p, float[] t, int b, double[] g);

    @Override
    public BoxLossResult compute(float[] pred, float[] target, float[] weight, double avgFactor) {
        if (pred.length != target.length || pred.length % 4 != 0 || weight.length * 4 != pred.length) {
            throw new IllegalArgumentException(name + ": pred has " + pred.length + " values, target " + target.length
                    + ", weight " + weight.length + "; expected 4n, 4n and n");
        }
        if (!(avgFactor > 0)) {
            throw new IllegalArgumentException(name + ": avg_factor must be > 0, got " + avgFactor);
        }
        int n = weight.length;
        float[] grad = new float[pred.length];
        float[] per = new float[n];
        double[] g = new double[4];
        double sum = 0;
        for (int b = 0; b < n; b++) {
            double l = box(pred, target, b, g);
            per[b] = (float) l;
            double w = weight[b] * lossWeight / avgFactor;
            sum += weight[b] * l;
            for (int c = 0; c < 4; c++) {
                grad[4 * b + c] = (float) (w * g[c]);
            }
        }
        return new BoxLossResult(sum * lossWeight / avgFactor, grad, per);
    }

    /** d max(a, b)/da with torch's tie rule (the gradient is split evenly). */
    static double maxGradFirst(double a, double b) {
        return a > b ? 1 : (a == b ? 0.5 : 0);
    }
}
