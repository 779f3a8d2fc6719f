package io.ranksort4j.core.loss.pointwise;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * Quality focal loss (GFL, Li et al. 2020): BCE against a soft IoU target y scaled by |σ(x) − y|^β, summed
 * and divided by the number of positives (y &gt; 0). Targets as for RS: IoU for positives, 0 negatives, &lt; 0 ignored.
 */
public final class QualityFocalLoss implements ClassificationLoss {
    private final double beta;
    private final double weight;

    public QualityFocalLoss(double beta, double weight) {
        this.beta = beta;
        this.weight = weight;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        Pointwise.check("quality_focal", logits, targets);
        int pos = 0;
        for (float t : targets) {
            if (t > 0) {
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
            double y = targets[i];
            if (y < 0) {
                continue;
            }
            double x = logits[i];
            double p = Pointwise.sigmoid(x);
            double bce = -(y * Pointwise.logSigmoid(x) + (1 - y) * Pointwise.logSigmoid(-x));
            double diff = p - y;
            double scale = Math.pow(Math.abs(diff), beta);
            sum += scale * bce;
            // d/dx [|p−y|^β · bce] = β|p−y|^(β−1) sign(p−y) p(1−p) · bce + |p−y|^β (p − y)
            double dScale = diff == 0 ? 0 : beta * Math.pow(Math.abs(diff), beta - 1) * Math.signum(diff) * p * (1 - p);
            grad[i] = (float) ((dScale * bce + scale * diff) * norm);
        }
        return new ClassificationLossResult(sum * norm, grad, pos, Map.of());
    }
}
