package io.ranksort4j.detectors.head;

/** One image's dense-head outputs, anchor-major: logits [n·C], box deltas [n·4], centerness [n] or null. */
public record HeadOutputs(float[] logits, float[] deltas, float[] centerness) {}
