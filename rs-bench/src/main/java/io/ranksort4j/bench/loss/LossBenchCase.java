package io.ranksort4j.bench.loss;

import java.util.Random;

/**
 * A realistic ranking problem as at the start of training: M logits near the −log(99) ≈ −4.6 prior, P of them
 * positives with IoU targets in [0.3, 1), 1 % ignored. Seeded, so every benchmark sees the same numbers.
 */
public record LossBenchCase(float[] logits, float[] iouTargets, float[] binaryTargets) {

    public static LossBenchCase generate(int logits, int positives, long seed) {
        if (positives > logits) {
            throw new IllegalArgumentException("positives (" + positives + ") must not exceed logits (" + logits + ")");
        }
        Random rnd = new Random(seed);
        float[] s = new float[logits];
        float[] iou = new float[logits];
        float[] bin = new float[logits];
        for (int i = 0; i < logits; i++) {
            s[i] = (float) (-4.6 + 0.25 * rnd.nextGaussian());
            if (rnd.nextInt(100) == 0) {
                iou[i] = -1;
                bin[i] = -1;
            }
        }
        int placed = 0;
        while (placed < positives) {
            int i = rnd.nextInt(logits);
            if (iou[i] == 0) {
                iou[i] = (float) (0.3 + 0.7 * rnd.nextDouble());
                bin[i] = 1;
                s[i] += (float) (0.5 * rnd.nextDouble());
                placed++;
            }
        }
        return new LossBenchCase(s, iou, bin);
    }
}
