package io.ranksort4j.core.loss.pointwise;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * Sigmoid focal loss (Lin et al. 2017) as mmdetection's baselines use it: summed over all logits and divided by
 * the number of positives (target 1); targets other than 0 and 1 are ignored.
 */
public final class FocalLoss implements ClassificationLoss {
    private final double alpha;
    private final double gamma;
    private final double weight;

    public FocalLoss(double alpha, double gamma, double weight) {
        this.alpha = alpha;
        this.gamma = gamma;
        this.weight = weight;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        Pointwise.check("focal", logits, targets);
        int pos = 0;
        for (float t : targets) {
            if (t == 1) {
                pos++;
            }
        }
        float[] grad = new float[logits.length];
        if (pos == 0) {
            return new ClassificationLossResult(0, grad, 0, Map.of());
        }
        double norm = weight / pos;
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            float t = targets[i];
            if (t != 0 && t != 1) {
                continue;
            }
            double[] lg = t == 1 ? term(logits[i], alpha) : term(-logits[i], 1 - alpha);
            sum += lg[0];
            grad[i] = (float) ((t == 1 ? lg[1] : -lg[1]) * norm);
        }
        return new ClassificationLossResult(sum * norm, grad, pos, Map.of());
    }

    /** Loss and d/dz of −a (1 − σ(z))^γ log σ(z): the positive-class form; negatives use z = −x. */
    double[] term(double z, double a) {
        double p = Pointwise.sigmoid(z);
        double logP = Pointwise.logSigmoid(z);
        double q = 1 - p;
        double qg = Math.pow(q, gamma);
        double loss = -a * qg * logP;
        // d/dz: a [γ q^(γ-1) p q log p − q^γ q] = a q^γ [γ p log p − q]
        double d = a * qg * (gamma * p * logP - q);
        return new double[] {loss, d};
    }
}
