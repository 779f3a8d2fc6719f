package io.ranksort4j.eval.data;

/**
 * One detection as a detector or a results file gives it: a box {@code [x, y, w, h]} and/or a mask.
 * Either {@code bbox} or {@code segmentation} may be null, not both.
 */
public record Detection(long imageId, long categoryId, double[] bbox, double score, Segmentation segmentation) {

    /** A box-only detection. */
    public static Detection box(long imageId, long categoryId, double x, double y, double w, double h, double score) {
        return new Detection(imageId, categoryId, new double[] {x, y, w, h}, score, null);
    }
}
