package io.ranksort4j.data.sampler;

import io.ranksort4j.core.registry.Family;
import io.ranksort4j.data.coco.Dataset;

/** Decides which dataset images an epoch visits, in which order, and how often. */
public interface Sampler {
    /** The {@code sampler} component family (sequential, random, repeat_factor). */
    Family<Sampler> FAMILY = new Family<>("sampler", Sampler.class, "orders the images of an epoch (sequential, random, repeat_factor)");

    /** Dataset indices for {@code epoch}; the same (dataset, seed, epoch) always gives the same array. */
    int[] indices(Dataset dataset, long seed, int epoch);

    /** A stream for one epoch, independent of other epochs (SplitMix-style mixing of seed and epoch). */
    static java.util.SplittableRandom epochRandom(long seed, int epoch) {
        return new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (epoch + 1L) * 0xC2B2AE3D27D4EB4FL);
    }

    /** Fisher–Yates shuffle in place. */
    static void shuffle(int[] a, java.util.SplittableRandom r) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
