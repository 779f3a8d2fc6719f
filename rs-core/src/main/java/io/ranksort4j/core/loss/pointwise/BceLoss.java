package io.ranksort4j.core.loss.pointwise;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * Sigmoid binary cross-entropy with soft targets in [0, 1] (negative targets are ignored), averaged over the
 * entries it counts; used for centerness and RPN baselines. Its gradient is σ(x) − t per entry.
 */
public final class BceLoss implements ClassificationLoss {
    private final double weight;

    public BceLoss(double weight) {
        this.weight = weight;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        Pointwise.check("bce", logits, targets);
        int n = 0;
        int pos = 0;
        for (float t : targets) {
            if (t >= 0) {
                n++;
            }
            if (t > 0) {
                pos++;
            }
        }
        float[] grad = new float[logits.length];
        if (n == 0) {
            return new ClassificationLossResult(0, grad, 0, Map.of());
        }
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double t = targets[i];
            if (t < 0) {
                continue;
            }
            double x = logits[i];
            sum += -(t * Pointwise.logSigmoid(x) + (1 - t) * Pointwise.logSigmoid(-x));
            grad[i] = (float) ((Pointwise.sigmoid(x) - t) * weight / n);
        }
        return new ClassificationLossResult(sum * weight / n, grad, pos, Map.of());
    }
}
