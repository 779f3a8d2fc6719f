package io.ranksort4j.data.loader;

import io.ranksort4j.core.config.Param;

/** How batches are made: size, worker threads, read-ahead, seed, grouping, sharding, and what to do with bad images. */
public record LoaderParams(
        @Param(value = "images per batch", def = "2", min = 1) int batchSize,
        @Param(value = "background decode/transform threads (0 = in the caller's thread)", def = "2", min = 0, max = 256) int workers,
        @Param(value = "batches prepared ahead of the consumer", def = "2", min = 1, max = 64) int prefetch,
        @Param(value = "seed of sampling order, scales and flips", def = "0") long seed,
        @Param(value = "batch landscape and portrait images apart", def = "true") boolean groupByAspect,
        @Param(value = "drop a final incomplete batch", def = "false") boolean dropLast,
        @Param(value = "skip (and count) missing or corrupt images instead of failing", def = "false") boolean skipBadImages,
        @Param(value = "this process's rank for sharding", def = "0", min = 0) int rank,
        @Param(value = "number of processes sharing an epoch", def = "1", min = 1) int worldSize,
        @Param(value = "seconds to wait for one image before declaring the loader stuck", def = "300", min = 1) int timeoutSeconds) {

    public LoaderParams {
        if (rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " must be below world_size " + worldSize);
        }
    }

    /** Defaults with a batch size and worker count. */
    public static LoaderParams of(int batchSize, int workers, long seed) {
        return new LoaderParams(batchSize, workers, 2, seed, true, false, false, 0, 1, 300);
    }

    public LoaderParams withWorkers(int w) {
        return new LoaderParams(batchSize, w, prefetch, seed, groupByAspect, dropLast, skipBadImages, rank, worldSize, timeoutSeconds);
    }

    public LoaderParams withSkipBadImages(boolean s) {
        return new LoaderParams(batchSize, workers, prefetch, seed, groupByAspect, dropLast, s, rank, worldSize, timeoutSeconds);
    }

    public LoaderParams withGroupByAspect(boolean g) {
        return new LoaderParams(batchSize, workers, prefetch, seed, g, dropLast, skipBadImages, rank, worldSize, timeoutSeconds);
    }

    public LoaderParams withShard(int r, int world) {
        return new LoaderParams(batchSize, workers, prefetch, seed, groupByAspect, dropLast, skipBadImages, r, world, timeoutSeconds);
    }
}
