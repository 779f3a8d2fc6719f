package io.ranksort4j.data.transform;

import java.nio.file.Path;

/**
 * What a model needs to map predictions back to the original image: id, original size, resized size,
 * scale factors (x and y differ slightly by rounding), flip, and the padded size of the batch tensor.
 */
public record ImageMeta(long imageId, int datasetIndex, Path file, int origWidth, int origHeight, int width, int height,
                        double scaleX, double scaleY, boolean flipped, int padWidth, int padHeight) {

    public ImageMeta withPad(int padW, int padH) {
        return new ImageMeta(imageId, datasetIndex, file, origWidth, origHeight, width, height, scaleX, scaleY, flipped, padW, padH);
    }

    /** Maps an {@code xyxy} box in the resized (and possibly flipped) frame back to original-image pixels. */
    public double[] toOriginal(double x1, double y1, double x2, double y2) {
        if (flipped) {
            double t = x1;
            x1 = width - x2;
            x2 = width - t;
        }
        return new double[] {x1 / scaleX, y1 / scaleY, x2 / scaleX, y2 / scaleY};
    }
}
