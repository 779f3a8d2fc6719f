package io.ranksort4j.detectors.head;

/** One detected box (x1, y1, x2, y2) in original image coordinates, with its 0-based label and score. */
public record Detection(float x1, float y1, float x2, float y2, int label, float score) {}
