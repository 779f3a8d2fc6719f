package io.ranksort4j.data.sampler;

import io.ranksort4j.data.coco.Dataset;
import java.util.stream.IntStream;

/** Every image once per epoch, shuffled by (seed, epoch). */
public final class RandomSampler implements Sampler {
    @Override
    public int[] indices(Dataset dataset, long seed, int epoch) {
        int[] a = IntStream.range(0, dataset.size()).toArray();
        Sampler.shuffle(a, Sampler.epochRandom(seed, epoch));
        return a;
    }
}
