package io.ranksort4j.detectors.head;

/** One image's training targets in the network's input frame: flat (x1, y1, x2, y2) boxes and 0-based labels. */
public record GroundTruth(float[] boxes, int[] labels) {
    public GroundTruth {
        if (boxes.length != 4 * labels.length) {
            throw new IllegalArgumentException(boxes.length + " box values for " + labels.length + " labels; expected 4 per label");
        }
    }

    public int count() {
        return labels.length;
    }
}
