package io.ranksort4j.core.loss.pointwise;

/** Numerically stable sigmoid helpers and input checks for the per-logit losses. */
final class Pointwise {
    private Pointwise() {}

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    /** log σ(z) = −softplus(−z), without overflow for large |z|. */
    static double logSigmoid(double z) {
        return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
    }

    static void check(String loss, float[] logits, float[] targets) {
        if (logits.length != targets.length) {
            throw new IllegalArgumentException(loss + ": " + logits.length + " logits but " + targets.length + " targets");
        }
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                throw new IllegalArgumentException(loss + ": logit " + i + " is " + logits[i] + " (the first non-finite one)");
            }
        }
    }
}
