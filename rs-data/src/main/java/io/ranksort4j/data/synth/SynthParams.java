package io.ranksort4j.data.synth;

import io.ranksort4j.core.config.Param;

/**
 * Settings of the synthetic shapes dataset. The defaults make an easy but real detection task: at 320 px,
 * 5 categories that differ in both shape and colour, 1–6 objects of 24–160 px per image.
 */
public record SynthParams(
        @Param(value = "training images", def = "800", min = 1) int trainImages,
        @Param(value = "validation images", def = "100", min = 0) int valImages,
        @Param(value = "number of categories (shape × colour pairs)", def = "5", min = 1, max = 64) int categories,
        @Param(value = "image side in pixels", def = "320", min = 64, max = 4096) int size,
        @Param(value = "random seed; the same seed gives the same files", def = "42") long seed,
        @Param(value = "long-tailed category frequencies and LVIS fields", def = "false") boolean longTail,
        @Param(value = "fewest objects per image", def = "1", min = 0) int minObjects,
        @Param(value = "most objects per image", def = "6", min = 1) int maxObjects,
        @Param(value = "smallest object side as a fraction of the image side", def = "0.075", min = 0.01, max = 1) double minScale,
        @Param(value = "largest object side as a fraction of the image side", def = "0.5", min = 0.01, max = 1) double maxScale,
        @Param(value = "fraction of images with a crowd region", def = "0.04", min = 0, max = 1) double crowdFraction,
        @Param(value = "image format: jpg or png", def = "jpg") String format) {

    public SynthParams {
        if (minObjects > maxObjects) {
            throw new IllegalArgumentException("minObjects " + minObjects + " > maxObjects " + maxObjects);
        }
        if (minScale > maxScale) {
            throw new IllegalArgumentException("minScale " + minScale + " > maxScale " + maxScale);
        }
        if (!format.equals("jpg") && !format.equals("png")) {
            throw new IllegalArgumentException("format must be jpg or png, not '" + format + "'");
        }
    }

    /** The defaults (800 / 100 images, 5 categories, 320 px, seed 42). */
    public static SynthParams defaults() {
        return new SynthParams(800, 100, 5, 320, 42, false, 1, 6, 0.075, 0.5, 0.04, "jpg");
    }

    public SynthParams withImages(int train, int val) {
        return new SynthParams(train, val, categories, size, seed, longTail, minObjects, maxObjects, minScale, maxScale, crowdFraction, format);
    }

    public SynthParams withCategories(int k) {
        return new SynthParams(trainImages, valImages, k, size, seed, longTail, minObjects, maxObjects, minScale, maxScale, crowdFraction, format);
    }

    public SynthParams withSize(int s) {
        return new SynthParams(trainImages, valImages, categories, s, seed, longTail, minObjects, maxObjects, minScale, maxScale, crowdFraction, format);
    }

    public SynthParams withSeed(long s) {
        return new SynthParams(trainImages, valImages, categories, size, s, longTail, minObjects, maxObjects, minScale, maxScale, crowdFraction, format);
    }

    public SynthParams withLongTail(boolean lt) {
        return new SynthParams(trainImages, valImages, categories, size, seed, lt, minObjects, maxObjects, minScale, maxScale, crowdFraction, format);
    }

    public SynthParams withFormat(String f) {
        return new SynthParams(trainImages, valImages, categories, size, seed, longTail, minObjects, maxObjects, minScale, maxScale, crowdFraction, f);
    }
}
