package io.ranksort4j.data;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.loader.LoaderParams;
import io.ranksort4j.data.sampler.Sampler;
import io.ranksort4j.data.transform.Pipeline;
import io.ranksort4j.data.transform.TransformParams;

/**
 * One split's data section of a config: which dataset, which sampler, the image pipeline and the loader.
 * {@code spec.loader(registry)} gives the {@link DataLoader} a training engine iterates.
 */
public record DataSpec(
        @Param(value = "the dataset", def = "{type = synth}", family = "dataset") ComponentSpec dataset,
        @Param(value = "the order of images", def = "{type = random}", family = "sampler") ComponentSpec sampler,
        @Param(value = "resize, flip, normalise, pad", def = "{}") TransformParams transform,
        @Param(value = "batching, workers, prefetch, seed", def = "{}") LoaderParams loader) {

    /** Builds the dataset, sampler and pipeline and returns the loader over them. */
    public DataLoader loader(ComponentRegistry registry) {
        DatasetSource source = registry.build(DatasetSource.FAMILY, dataset);
        Sampler s = registry.build(Sampler.FAMILY, sampler);
        return new DataLoader(source.load(), s, new Pipeline(transform), loader);
    }
}
