package io.ranksort4j.data.coco;

/**
 * One object instance: box {@code [x, y, w, h]} in image pixels, category id (as in the file), crowd flag,
 * mask (null when the file has none or the reader was told to drop masks) and area.
 */
public record Annotation(long id, long imageId, long categoryId, double x, double y, double w, double h,
                         double area, boolean iscrowd, Segmentation segmentation) {
    public double x2() {
        return x + w;
    }

    public double y2() {
        return y + h;
    }
}
