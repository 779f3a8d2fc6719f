package io.ranksort4j.data.transform;

/** One transformed image: normalised planar {@code 3 × height × width} floats, its meta and its ground truth. */
public record Sample(ImageMeta meta, float[] chw, Target target) {}
