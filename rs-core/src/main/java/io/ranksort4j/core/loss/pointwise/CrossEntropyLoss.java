package io.ranksort4j.core.loss.pointwise;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Map;

/**
 * Softmax cross-entropy over groups of {@code classes} logits (R-CNN heads: the last class is background).
 * Targets are one per logit: 1 on the true class of a row, 0 elsewhere; a row of all −1 is ignored. Mean over rows.
 */
public final class CrossEntropyLoss implements ClassificationLoss {
    private final int classes;
    private final double weight;

    public CrossEntropyLoss(int classes, double weight) {
        this.classes = classes;
        this.weight = weight;
    }

    /** Logits per row, background included. */
    public int classes() {
        return classes;
    }

    @Override
    public ClassificationLossResult compute(float[] logits, float[] targets) {
        Pointwise.check("cross_entropy", logits, targets);
        if (logits.length % classes != 0) {
            throw new IllegalArgumentException("cross_entropy: " + logits.length + " logits is not a multiple of classes = " + classes);
        }
        int rows = logits.length / classes;
        float[] grad = new float[logits.length];
        int counted = 0;
        int pos = 0;
        double sum = 0;
        double[] prob = new double[classes];
        for (int r = 0; r < rows; r++) {
            int base = r * classes;
            int label = -1;
            for (int c = 0; c < classes; c++) {
                if (targets[base + c] == 1) {
                    label = c;
                }
            }
            if (label < 0) {
                continue;
            }
            counted++;
            if (label != classes - 1) {
                pos++;
            }
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[base + c]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                prob[c] = Math.exp(logits[base + c] - max);
                z += prob[c];
            }
            sum += -(logits[base + label] - max - Math.log(z));
            for (int c = 0; c < classes; c++) {
                prob[c] /= z;
            }
            for (int c = 0; c < classes; c++) {
                grad[base + c] = (float) (prob[c] - (c == label ? 1 : 0));
            }
        }
        if (counted == 0) {
            return new ClassificationLossResult(0, grad, 0, Map.of());
        }
        for (int i = 0; i < grad.length; i++) {
            grad[i] = (float) (grad[i] * weight / counted);
        }
        return new ClassificationLossResult(sum * weight / counted, grad, pos, Map.of());
    }
}
