package io.ranksort4j.detectors.assign;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

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
        int[] positives = choose(IntStream.range(0, gtIndex.length).filter(i -> gtIndex[i] > 0).toArray(), (int) (num * posFraction), rng);
        int[] negatives = choose(IntStream.range(0, gtIndex.length).filter(i -> gtIndex[i] == Assignment.BACKGROUND).toArray(),
                num - positives.length, rng);
        return new Sample(positives, negatives);
    }

    private static int[] choose(int[] all, int wanted, Random rng) {
        if (all.length <= wanted) {
            return all;
        }
        // a partial Fisher–Yates shuffle: the first `wanted` slots are a uniform random subset
        for (int i = 0; i < wanted; i++) {
            int j = i + rng.nextInt(all.length - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] out = Arrays.copyOf(all, wanted);
        Arrays.sort(out);
        return out;
    }
}
