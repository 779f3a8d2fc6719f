package io.ranksort4j.data.sampler;

import io.ranksort4j.core.config.Param;
import io.ranksort4j.data.coco.Dataset;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.WeakHashMap;

/**
 * Repeat-factor sampling. {@code stochastic} (detectron2's RepeatFactorTrainingSampler): each epoch, image I
 * appears ⌊r⌋ times plus once more with probability r − ⌊r⌋, then the list is shuffled; the expected epoch
 * length is Σ r(I). {@code ceil} (mmdetection's ClassBalancedDataset): ⌈r⌉ copies fixed once, shuffled per epoch.
 */
public final class RepeatFactorSampler implements Sampler {
    /** How fractional repeat factors become whole repeats. */
    public enum Mode { STOCHASTIC, CEIL }

    /** Parameters of {@code repeat_factor}. */
    public record Params(
            @Param(value = "frequency threshold t", def = "0.001", min = 0, max = 1) double threshold,
            @Param(value = "stochastic (detectron2) or ceil (mmdetection)", def = "stochastic") Mode mode,
            @Param(value = "r(c) = max(1, sqrt(t/f)); false gives max(1, t/f)", def = "true") boolean sqrt,
            @Param(value = "shuffle each epoch (ceil mode keeps file order if false)", def = "true") boolean shuffle) {
        public static Params defaults() {
            return new Params(0.001, Mode.STOCHASTIC, true, true);
        }
    }

    private final Params params;
    private final Map<Dataset, double[]> cache = new WeakHashMap<>();

    public RepeatFactorSampler(Params params) {
        this.params = params;
    }

    public Params params() {
        return params;
    }

    /** r(I) for the dataset's images (computed once per dataset). */
    public synchronized double[] factors(Dataset d) {
        return cache.computeIfAbsent(d, k -> RepeatFactors.imageFactors(k, params.threshold(), params.sqrt()));
    }

    @Override
    public int[] indices(Dataset dataset, long seed, int epoch) {
        double[] r = factors(dataset);
        SplittableRandom rnd = Sampler.epochRandom(seed, epoch);
        int[] out = params.mode() == Mode.CEIL ? ceilIndices(r) : stochasticIndices(r, rnd);
        if (params.shuffle()) {
            Sampler.shuffle(out, rnd);
        }
        return out;
    }

    /** ⌈r⌉ consecutive copies of each index, as ClassBalancedDataset's {@code repeat_indices}. */
    public static int[] ceilIndices(double[] r) {
        int n = 0;
        for (double v : r) {
            n += (int) Math.ceil(v);
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < r.length; i++) {
            int c = (int) Math.ceil(r[i]);
            Arrays.fill(out, k, k + c, i);
            k += c;
        }
        return out;
    }

    /** ⌊r⌋ copies plus one with probability r − ⌊r⌋ (one uniform draw per image, in index order). */
    public static int[] stochasticIndices(double[] r, SplittableRandom rnd) {
        int[] reps = new int[r.length];
        int n = 0;
        for (int i = 0; i < r.length; i++) {
            double fl = Math.floor(r[i]);
            reps[i] = (int) fl + (rnd.nextDouble() < r[i] - fl ? 1 : 0);
            n += reps[i];
        }
        int[] out = new int[n];
        int k = 0;
        for (int i = 0; i < r.length; i++) {
            Arrays.fill(out, k, k + reps[i], i);
            k += reps[i];
        }
        return out;
    }
}
