package io.ranksort4j.eval.data;

/**
 * One image of a ground-truth file; the LVIS lists are empty for COCO.
 *
 * @param negCategoryIds LVIS: categories verified absent
 * @param notExhaustiveCategoryIds LVIS: categories whose instances are not all annotated
 */
public record ImageInfo(long id, int height, int width, long[] negCategoryIds, long[] notExhaustiveCategoryIds) {}
