package io.ranksort4j.eval.data;

/**
 * One ground-truth annotation as read from the file. {@code area} and {@code bbox} are used verbatim,
 * as the reference evaluators do; {@code segmentation} may be null for box-only files.
 */
public record GtAnnotation(long id, long imageId, long categoryId, double[] bbox, double area, boolean iscrowd,
                           boolean ignore, Segmentation segmentation) {}
