package io.ranksort4j.detectors.assign;

import java.util.Arrays;
import java.util.Random;

/**
 * mmdetection's RandomSampler (neg_pos_ub = −1): of an assignment's candidates, at most ⌊num × pos_fraction⌋
 * positives chosen at random, then negatives at random to fill num; ignored candidates are never chosen. The
 * sampled baselines (Faster / Mask R-CNN: RPN 256 at 50 %, RoIs 512 at 25 %) train only what it returns.
 */
public record RandomSampler(int num, double posFraction) {
    public RandomSampler {
        if (num < 1 || !(posFraction > 0 && posFraction <= 1)) {
            throw new IllegalArgumentException("sampler: num must be ≥ 1 and pos_fraction in (0, 1]; got num = " + num
                    + ", pos_fraction = " + posFraction);
        }
    }

    /** The chosen candidates, each list ascending. */
    public record Sample(int[] positives, int[] negatives) {
        public int size() {
            return positives.length + negatives.length;
        }
    }

    /**
     * The random source of one image's draw: seeded by its GT boxes and the network's current outputs, so a run
     * and its resume from a checkpoint draw alike while every iteration draws afresh.
     */
    public static Random randomFor(float[] gtBoxes, float[] outputs) {
        return new Random(31L * Arrays.hashCode(gtBoxes) + Arrays.hashCode(outputs));
    }

    /** Samples by {@link Assignment} codes: k &gt; 0 positive, 0 negative, −1 ignored. */
    public Sample sample(int[] gtIndex, Random rng) {
        int pos = 0;
        int neg = 0;
        for (int g : gtIndex) {
            pos += g > 0 ? 1 : 0;
            neg += g == Assignment.BACKGROUND ? 1 : 0;
        }
        int[] positives = choose(gtIndex, true, pos, (int) (num * posFraction), rng);
        int[] negatives = choose(gtIndex, false, neg, num - positives.length, rng);
        return new Sample(positives, negatives);
    }

    private static int[] choose(int[] gtIndex, boolean positive, int available, int wanted, Random rng) {
        int[] all = new int[available];
        int k = 0;
        for (int i = 0; i < gtIndex.length; i++) {
            if (positive ? gtIndex[i] > 0 : gtIndex[i] == Assignment.BACKGROUND) {
                all[k++] = i;
            }
        }
        if (available <= wanted) {
            return all;
        }
        // a partial Fisher–Yates shuffle: the first `wanted` slots are a uniform random subset
        for (int i = 0; i < wanted; i++) {
            int j = i + rng.nextInt(available - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, wanted);
        Arrays.sort(out);
        return out;
    }
}
