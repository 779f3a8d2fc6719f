package io.ranksort4j.core.loss.box;

import io.ranksort4j.core.loss.Loss;

/**
 * Dice loss on mask logits (RS-Mask R-CNN): per mask 1 − 2Σxt / (Σx² + Σt² + eps) on x = σ(logits), weighted
 * per mask and divided by avg_factor; returns the gradient w.r.t. the logits.
 */
public final class DiceLoss implements Loss {
    private final double eps;
    private final double lossWeight;

    public DiceLoss(double eps, double lossWeight) {
        this.eps = eps;
        this.lossWeight = lossWeight;
    }

    /** Loss value, gradient w.r.t. every logit, and each mask's unweighted loss. */
    public record Result(double loss, float[] grad, float[] perMask) {}

    /** {@code logits} and {@code targets}: n masks of {@code pixels} values each, flattened. */
    public Result compute(float[] logits, float[] targets, int pixels, float[] weight, double avgFactor) {
        int n = weight.length;
        if (logits.length != (long) n * pixels || targets.length != logits.length) {
            throw new IllegalArgumentException("dice: expected " + n + " masks of " + pixels + " pixels, got "
                    + logits.length + " logits and " + targets.length + " targets");
        }
        float[] grad = new float[logits.length];
        float[] per = new float[n];
        double sum = 0;
        for (int m = 0; m < n; m++) {
            int o = m * pixels;
            double a = 0;
            double b = 0;
            for (int i = o; i < o + pixels; i++) {
                double x = sigmoid(logits[i]);
                a += x * targets[i];
                b += x * x + (double) targets[i] * targets[i];
            }
            double den = b + eps;
            double l = 1 - 2 * a / den;
            per[m] = (float) l;
            sum += weight[m] * l;
            double w = weight[m] * lossWeight / avgFactor;
            for (int i = o; i < o + pixels; i++) {
                double x = sigmoid(logits[i]);
                // dl/dx = −2 t / den + 2a · 2x / den²; dx/dz = x(1 − x)
                double dx = -2 * targets[i] / den + 4 * a * x / (den * den);
                grad[i] = (float) (w * dx * x * (1 - x));
            }
        }
        return new Result(sum * lossWeight / avgFactor, grad, per);
    }

    private static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }
}
