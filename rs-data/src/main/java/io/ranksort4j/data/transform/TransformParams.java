package io.ranksort4j.data.transform;

import io.ranksort4j.core.config.Param;
import java.util.List;

/** The training/test image pipeline: resize, flip, normalise, pad, masks (mmdetection's defaults for RGB ImageNet backbones). */
public record TransformParams(
        @Param(value = "target scales (long edge, short edge); several = multi-scale", def = "[[320, 320]]") List<List<Integer>> scales,
        @Param(value = "value: pick one of the scales; range: sample edges between the first two", def = "value") MultiScale multiScale,
        @Param(value = "keep the aspect ratio (else stretch to the scale)", def = "true") boolean keepRatio,
        @Param(value = "probability of a horizontal flip", def = "0.5", min = 0, max = 1) double flipProb,
        @Param(value = "per-channel RGB mean", def = "[123.675, 116.28, 103.53]") List<Double> mean,
        @Param(value = "per-channel RGB std", def = "[58.395, 57.12, 57.375]") List<Double> std,
        @Param(value = "pad batch tensors to a multiple of this", def = "32", min = 1) int padDivisor,
        @Param(value = "also produce instance mask bitmaps", def = "false") boolean withMasks,
        @Param(value = "drop ground-truth boxes narrower or lower than this (original pixels)", def = "1.0", min = 0) double minBoxSize) {

    /** How several scales are used. */
    public enum MultiScale { VALUE, RANGE }

    public TransformParams {
        scales = scales.stream().map(List::copyOf).toList();
        if (scales.isEmpty() || scales.stream().anyMatch(s -> s.size() != 2 || s.get(0) <= 0 || s.get(1) <= 0)) {
            throw new IllegalArgumentException("scales must be a non-empty list of [long, short] pairs of positive ints: " + scales);
        }
        if (mean.size() != 3 || std.size() != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (RGB)");
        }
    }

    /** Training at one scale with flips and ImageNet normalisation. */
    public static TransformParams train(int longEdge, int shortEdge) {
        return new TransformParams(List.of(List.of(longEdge, shortEdge)), MultiScale.VALUE, true, 0.5,
                List.of(123.675, 116.28, 103.53), List.of(58.395, 57.12, 57.375), 32, false, 1.0);
    }

    /** Testing at one scale: no flip. */
    public static TransformParams test(int longEdge, int shortEdge) {
        return train(longEdge, shortEdge).withFlipProb(0);
    }

    public TransformParams withFlipProb(double p) {
        return new TransformParams(scales, multiScale, keepRatio, p, mean, std, padDivisor, withMasks, minBoxSize);
    }

    public TransformParams withMasks(boolean m) {
        return new TransformParams(scales, multiScale, keepRatio, flipProb, mean, std, padDivisor, m, minBoxSize);
    }

    public TransformParams withScales(List<List<Integer>> s, MultiScale mode) {
        return new TransformParams(s, mode, keepRatio, flipProb, mean, std, padDivisor, withMasks, minBoxSize);
    }
}
