package io.ranksort4j.data.coco;

import java.util.List;

/**
 * One image of a COCO or LVIS annotation file.
 *
 * @param negCategoryIds LVIS: categories verified absent from the image (empty for COCO)
 * @param notExhaustiveCategoryIds LVIS: categories whose instances may not all be annotated (empty for COCO)
 */
public record ImageInfo(long id, String fileName, int width, int height, List<Long> negCategoryIds,
                        List<Long> notExhaustiveCategoryIds) {
    public ImageInfo {
        negCategoryIds = List.copyOf(negCategoryIds);
        notExhaustiveCategoryIds = List.copyOf(notExhaustiveCategoryIds);
    }

    /** A COCO image without LVIS fields. */
    public ImageInfo(long id, String fileName, int width, int height) {
        this(id, fileName, width, height, List.of(), List.of());
    }

    /** Width over height, the key of aspect-ratio grouping. */
    public double aspectRatio() {
        return (double) width / height;
    }
}
