package io.ranksort4j.data.coco;

/**
 * How an annotation file is read.
 *
 * @param lenient skip and count bad annotations instead of failing on the first one
 * @param keepSegmentation keep polygons/RLE (drop them to halve the memory of box-only training)
 * @param boxTolerance pixels a box may stick out of its image before it counts as outside
 */
public record ReadOptions(boolean lenient, boolean keepSegmentation, double boxTolerance) {
    /** Strict, with masks, one pixel of tolerance. */
    public static final ReadOptions STRICT = new ReadOptions(false, true, 1.0);
    /** Lenient, with masks. */
    public static final ReadOptions LENIENT = new ReadOptions(true, true, 1.0);

    public ReadOptions withKeepSegmentation(boolean keep) {
        return new ReadOptions(lenient, keep, boxTolerance);
    }
}
