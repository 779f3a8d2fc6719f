package io.ranksort4j.data.coco;

/**
 * A category. {@code frequency} is null and {@code imageCount} is -1 where the file (COCO) does not give them.
 */
public record Category(long id, String name, String supercategory, Frequency frequency, int imageCount) {
    /** A COCO category. */
    public Category(long id, String name, String supercategory) {
        this(id, name, supercategory, null, -1);
    }
}
