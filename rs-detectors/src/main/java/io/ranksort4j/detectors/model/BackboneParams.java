package io.ranksort4j.detectors.model;

import io.ranksort4j.core.config.Param;

/** A ResNet backbone (He et al. 2016) as mmdetection builds it, returning C3–C5. */
public record BackboneParams(
        @Param(value = "ResNet depth: 18 or 34 (basic blocks), 50 or 101 (bottlenecks)", def = "18") int depth,
        @Param(value = "channels of the first stage (64 in the paper; smaller for fast CPU runs)", def = "64", min = 8, max = 256) int baseWidth,
        @Param(value = "stages whose weights are not trained: -1 none, 0 the stem, k the stem and stages 1..k", def = "-1", min = -1, max = 4) int frozenStages,
        @Param(value = "ImageNet weights: \"torchvision://resnet50\" (fetched by ./rs4j weights fetch resnet50 into $RS4J_HOME/checkpoints), or a path to a torchvision-named state_dict as .pth or .npz; empty: random init", def = "\"\"") String pretrained,
        @Param(value = "batch norm uses and keeps its running statistics in training too (mmdetection's norm_eval, for pretrained weights: randomly initialised statistics are mean 0, variance 1); γ, β still train", def = "false")
        boolean normEval,
        @Param(value = "with norm_eval: build each backbone conv + batch norm (+ ReLU) as one layer (FusedConvFrozenBn) that keeps one activation-sized array for the backward pass instead of two or three; same parameter names and values", def = "false")
        boolean fusedNorm) {

    public BackboneParams {
        if (depth != 18 && depth != 34 && depth != 50 && depth != 101) {
            throw new IllegalArgumentException("depth must be 18, 34, 50 or 101, not " + depth);
        }
        if (fusedNorm && !normEval) {
            throw new IllegalArgumentException("backbone.fused_norm = true needs backbone.norm_eval = true: only a batch norm on frozen"
                    + " statistics is a fixed per-channel affine map that the fused layer can fold into its convolution");
        }
    }

    /** Without the fused layers (backbone.fused_norm = false). */
    public BackboneParams(int depth, int baseWidth, int frozenStages, String pretrained, boolean normEval) {
        this(depth, baseWidth, frozenStages, pretrained, normEval, false);
    }

    int[] blocks() {
        return switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 101 -> new int[] {3, 4, 23, 3};
            default -> new int[] {3, 4, 6, 3};
        };
    }

    boolean bottleneck() {
        return depth >= 50;
    }

    /** Output channels of stage s (0-based). */
    int stageChannels(int s) {
        return baseWidth * (1 << s) * (bottleneck() ? 4 : 1);
    }
}
