package io.ranksort4j.data.sampler;

import io.ranksort4j.data.coco.Dataset;
import java.util.stream.IntStream;

/** Every image once, in file order (evaluation). */
public final class SequentialSampler implements Sampler {
    @Override
    public int[] indices(Dataset dataset, long seed, int epoch) {
        return IntStream.range(0, dataset.size()).toArray();
    }
}
