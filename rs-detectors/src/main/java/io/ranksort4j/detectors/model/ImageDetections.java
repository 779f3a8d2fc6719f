package io.ranksort4j.detectors.model;

import io.ranksort4j.detectors.head.Detection;
import java.util.List;

/**
 * One image's detections in the resized frame and, for mask detectors, each one's {@code maskSize²} mask
 * probabilities (row-major, over its box) to paste into the image; {@code masks} is null for box-only detectors.
 */
public record ImageDetections(List<Detection> boxes, List<float[]> masks, int maskSize) {
    /** Box-only detections. */
    public static ImageDetections boxes(List<Detection> boxes) {
        return new ImageDetections(boxes, null, 0);
    }
}
