package io.ranksort4j.data.sampler;

import io.ranksort4j.data.coco.Dataset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Cuts an epoch's index order into batches, optionally grouping landscape and portrait images (less padding). */
public final class Batching {
    private Batching() {}

    /**
     * Batches in order. With {@code groupByAspect} (detectron2's AspectRatioGroupedDataset), images go to a
     * landscape (w ≥ h) or portrait bucket and a batch is emitted when its bucket fills; leftovers come last
     * (landscape first) unless {@code dropLast}.
     */
    public static List<int[]> batches(int[] order, Dataset d, int batchSize, boolean groupByAspect, boolean dropLast) {
        List<int[]> out = new ArrayList<>();
        if (!groupByAspect) {
            for (int i = 0; i < order.length; i += batchSize) {
                int end = Math.min(order.length, i + batchSize);
                if (end - i == batchSize || !dropLast) {
                    out.add(Arrays.copyOfRange(order, i, end));
                }
            }
            return out;
        }
        int[][] bucket = new int[2][batchSize];
        int[] fill = new int[2];
        for (int idx : order) {
            int b = d.image(idx).width() >= d.image(idx).height() ? 0 : 1;
            bucket[b][fill[b]++] = idx;
            if (fill[b] == batchSize) {
                out.add(bucket[b].clone());
                fill[b] = 0;
            }
        }
        if (!dropLast) {
            for (int b = 0; b < 2; b++) {
                if (fill[b] > 0) {
                    out.add(Arrays.copyOf(bucket[b], fill[b]));
                }
            }
        }
        return out;
    }

    /**
     * This rank's share of an epoch, as PyTorch's DistributedSampler: the order is padded by wrapping to a
     * multiple of {@code worldSize} so every rank gets the same count, then rank r takes positions r, r+W, ...
     */
    public static int[] shard(int[] order, int rank, int worldSize) {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) {
            throw new IllegalArgumentException("rank " + rank + " not in [0, " + worldSize + ")");
        }
        if (worldSize == 1 || order.length == 0) {
            return order;
        }
        int per = (order.length + worldSize - 1) / worldSize;
        int[] out = new int[per];
        for (int k = 0; k < per; k++) {
            out[k] = order[(rank + k * worldSize) % order.length];
        }
        return out;
    }
}
