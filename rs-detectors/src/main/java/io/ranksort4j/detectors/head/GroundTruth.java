package io.ranksort4j.detectors.head;

import java.util.List;

/**
 * One image's training targets in the network's input frame: flat (x1, y1, x2, y2) boxes, 0-based labels and,
 * for mask heads, one row-major bitmap per box ({@code maskWidth × maskHeight}, the resized image) or null.
 */
public record GroundTruth(float[] boxes, int[] labels, List<byte[]> masks, int maskWidth, int maskHeight) {
    public GroundTruth {
        if (boxes.length != 4 * labels.length) {
            throw new IllegalArgumentException(boxes.length + " box values for " + labels.length + " labels; expected 4 per label");
        }
        if (masks != null && masks.size() != labels.length) {
            throw new IllegalArgumentException(masks.size() + " masks for " + labels.length + " boxes; expected one per box");
        }
    }

    /** Boxes and labels without masks. */
    public GroundTruth(float[] boxes, int[] labels) {
        this(boxes, labels, null, 0, 0);
    }

    /** Width of the resized image before padding (0: unknown, the whole padded input counts). */
    public int imageWidth() {
        return maskWidth;
    }

    /** Height of the resized image before padding (0: unknown). */
    public int imageHeight() {
        return maskHeight;
    }

    public int count() {
        return labels.length;
    }
}
