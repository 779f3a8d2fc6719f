package io.ranksort4j.detectors.engine;

/**
 * Where an image in a batch came from: its dataset id, original size, the resized (unpadded) size and the
 * scale factor (resized / original) that maps detections back, and whether it was flipped.
 */
public record ImageMeta(long imageId, int origWidth, int origHeight, int width, int height, double scale, boolean flipped) {}
