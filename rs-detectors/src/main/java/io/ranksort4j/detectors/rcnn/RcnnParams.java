package io.ranksort4j.detectors.rcnn;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.model.BackboneParams;
import io.ranksort4j.detectors.model.InputSize;
import io.ranksort4j.detectors.rpn.ProposalParams;
import java.util.List;

/**
 * Everything a two-stage detector is made of (RS-Faster / RS-Cascade / RS-Mask R-CNN, mmdetection's layout): the
 * detector {@code type} picks which heads exist, the keys below size and train them.
 */
public record RcnnParams(
        @Param(value = "number of object classes (must match the dataset's categories)", def = "80", min = 1) int numClasses,
        @Param(value = "fixed padded input [height, width] (multiples of 32); [] pads each batch to its largest image rounded up to 32", def = "[]", min = 32) List<Integer> inputSize,
        @Param(value = "ResNet backbone", def = "{ depth = 50 }") BackboneParams backbone,
        @Param(value = "FPN channels (P2–P6)", def = "256", min = 8, max = 1024) int fpnChannels,
        @Param(value = "RPN", def = "{}") RpnParams rpn,
        @Param(value = "RoI box head(s)", def = "{}") RoiHeadParams roi,
        @Param(value = "mask head (rs_mask_rcnn)", def = "{}") MaskHeadParams mask,
        @Param(value = "RPN objectness loss", def = "{type = rank_sort}", family = "loss", kind = {ClassificationLoss.class}) ComponentSpec rpnLossCls,
        @Param(value = "RPN box loss (RS: on decoded boxes; sampled: on deltas)", def = "{type = giou}", family = "loss", kind = {BoxLoss.class}) ComponentSpec rpnLossBbox,
        @Param(value = "RoI classification loss (sigmoid over RoIs × classes, or cross_entropy over C + 1 with a sampler)", def = "{type = rank_sort}", family = "loss", kind = {ClassificationLoss.class})
        ComponentSpec lossCls,
        @Param(value = "RoI box loss (RS: on decoded class-specific boxes; sampled: on deltas)", def = "{type = giou}", family = "loss", kind = {BoxLoss.class}) ComponentSpec lossBbox,
        @Param(value = "mask loss: dice (RS: weighted by the box weights, own λ) or bce (per-pixel mean)", def = "{type = dice}", family = "loss")
        ComponentSpec lossMask,
        @Param(value = "test pipeline", def = "{}") RcnnTestParams test) {

    public RcnnParams {
        inputSize = InputSize.check(inputSize);
        if (rpn.anchor().strides().size() != 5) {
            throw new IllegalArgumentException("rpn.anchor.strides must give the 5 levels P2–P6 (e.g. [4, 8, 16, 32, 64]); got "
                    + rpn.anchor().strides());
        }
    }

    /** The height the graph is configured with (any padded size runs through it). */
    public int buildHeight() {
        return InputSize.buildHeight(inputSize);
    }

    public int buildWidth() {
        return InputSize.buildWidth(inputSize);
    }

    /** The RPN: per-level head, anchors, the RS recipe's assignment and head weight, proposal generation. */
    public record RpnParams(
            @Param(value = "channels of the 3×3 conv before the 1×1 outputs", def = "256", min = 8, max = 1024) int featChannels,
            @Param(value = "one RPN head for every level, weights shared and gradients summed (mmdetection's RPNHead); false gives each "
                    + "level its own", def = "true") boolean shareLevels,
            @Param(value = "anchors over P2–P6", def = "{ octave_base_scale = 8, scales_per_octave = 1, ratios = [0.5, 1.0, 2.0], strides = [4, 8, 16, 32, 64] }")
            AnchorParams anchor,
            @Param(value = "weight of all RPN loss terms (RS-R-CNN: 0.2)", def = "0.2", min = 0) double headWeight,
            @Param(value = "IoU at or above which an anchor is positive", def = "0.7", min = 0, max = 1) double posIouThr,
            @Param(value = "IoU below which an anchor is negative (between: ignored)", def = "0.3", min = 0, max = 1) double negIouThr,
            @Param(value = "a GT's best anchors are positive if their IoU is at least this (low-quality matches)", def = "0.3", min = 0, max = 1)
            double minPosIou,
            @Param(value = "DeltaXYWH stds of the RPN's deltas and proposals (mmdet's baseline RPN: [1, 1, 1, 1])", def = "[0.1, 0.1, 0.2, 0.2]")
            List<Double> stds,
            @Param(value = "anchors trained: −1 those over the image (not only padding); ≥ 0 also inside the image grown by this many pixels "
                    + "(mmdet's rpn allowed_border; RS-Cascade: 0)", def = "-1", min = -1) int allowedBorder,
            @Param(value = "anchors trained per image; num = 0 trains every anchor (RS), the baseline samples 256 at 50 %", def = "{ num = 0, pos_fraction = 0.5 }")
            SamplerParams sampler,
            @Param(value = "proposals while training (mmdet train_cfg.rpn_proposal)", def = "{ nms_pre = 2000, max_per_img = 1000 }") ProposalParams trainProposals,
            @Param(value = "proposals at test (mmdet test_cfg.rpn)", def = "{ nms_pre = 1000, max_per_img = 1000 }") ProposalParams testProposals) {

        public RpnParams {
            stds = List.copyOf(stds);
            if (stds.size() != 4) {
                throw new IllegalArgumentException("rpn.stds must give 4 values (x, y, w, h); got " + stds);
            }
        }

        public double[] stdArray() {
            return stds.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /**
     * mmdetection's RandomSampler settings: {@code num} candidates per image, at most {@code pos_fraction} of them
     * positive; {@code num = 0} turns sampling off and every candidate is trained, as RS-R-CNN does.
     */
    public record SamplerParams(
            @Param(value = "candidates trained per image; 0 = all", def = "0", min = 0) int num,
            @Param(value = "largest share of positives", def = "0.25", min = 0, max = 1) double posFraction) {

        public SamplerParams {
            if (num > 0 && posFraction <= 0) {
                throw new IllegalArgumentException("sampler.pos_fraction must be above 0 when sampler.num > 0 (mmdet: RPN 0.5, RoIs 0.25); got " + posFraction);
            }
        }

        public boolean enabled() {
            return num > 0;
        }
    }

    /**
     * The RoI box head, one per stage: RoIAlign 7×7 from P2–P5 (level by mmdet's finest-scale rule), two shared FC
     * layers, class logits (sigmoid, or softmax with background) and deltas. One stage is Faster R-CNN; three with rising IoU
     * are Cascade.
     */
    public record RoiHeadParams(
            @Param(value = "channels of the two shared FC layers", def = "1024", min = 8) int fcChannels,
            @Param(value = "RoIAlign output side", def = "7", min = 1) int roiSize,
            @Param(value = "RoIAlign samples per bin side, 0 = adaptive", def = "0", min = 0) int samplingRatio,
            @Param(value = "RoIs of sqrt(area) below 2 × this go to P2, and so on up to P5", def = "56", min = 1) double finestScale,
            @Param(value = "per stage: positive IoU threshold (Cascade: [0.5, 0.6, 0.7])", def = "[0.5]") List<Double> stageIous,
            @Param(value = "per stage: loss weight (RS-Cascade: [1, 1, 1])", def = "[1.0]") List<Double> stageWeights,
            @Param(value = "per stage: 4 DeltaXYWH stds, concatenated", def = "[0.1, 0.1, 0.2, 0.2]") List<Double> stageStds,
            @Param(value = "one set of 4 deltas per RoI instead of one per class (Cascade)", def = "false") boolean classAgnostic,
            @Param(value = "RoIs trained per image, GT boxes included; num = 0 trains every RoI (RS), the baseline samples 512 at 25 %",
                    def = "{ num = 0, pos_fraction = 0.25 }") SamplerParams sampler) {

        public RoiHeadParams {
            stageIous = List.copyOf(stageIous);
            stageWeights = List.copyOf(stageWeights);
            stageStds = List.copyOf(stageStds);
            if (stageIous.isEmpty() || stageWeights.size() != stageIous.size() || stageStds.size() != 4 * stageIous.size()) {
                throw new IllegalArgumentException("roi.stage_ious, stage_weights and stage_stds must describe the same stages: got "
                        + stageIous.size() + " IoUs, " + stageWeights.size() + " weights and " + stageStds.size()
                        + " stds (4 per stage expected)");
            }
        }

        public int stages() {
            return stageIous.size();
        }

        /** Stage s's coder stds. */
        public double[] stds(int s) {
            return stageStds.subList(4 * s, 4 * s + 4).stream().mapToDouble(Double::doubleValue).toArray();
        }
    }

    /** mmdetection's FCN mask head: 4 × (3×3 conv + ReLU) at 14×14, a 2× deconvolution, one 28×28 mask per class. */
    public record MaskHeadParams(
            @Param(value = "3×3 convolutions", def = "4", min = 1, max = 8) int convs,
            @Param(value = "their channels", def = "256", min = 8) int channels,
            @Param(value = "RoIAlign output side (the mask is twice this)", def = "14", min = 2) int roiSize,
            @Param(value = "positives given masks per batch, randomly chosen beyond it", def = "200", min = 1) int maxMasks) {

        public int maskSize() {
            return 2 * roiSize;
        }
    }

    /** mmdetection's test_cfg.rcnn. */
    public record RcnnTestParams(
            @Param(value = "minimum score of a (RoI, class) pair (RS-R-CNN: 0.40 on COCO, 0.60 on LVIS)", def = "0.05", min = 0, max = 1) double scoreThr,
            @Param(value = "NMS IoU threshold, per class", def = "0.5", min = 0, max = 1) double nmsIou,
            @Param(value = "detections kept per image (LVIS: 300)", def = "100", min = 1) int maxPerImg) {}
}
