package io.ranksort4j.detectors.head;

/** dL/d(outputs) of one image, in the anchor-major layout of {@link HeadOutputs}. */
public record HeadGradients(float[] logits, float[] deltas, float[] centerness) {}
