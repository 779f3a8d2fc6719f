package io.ranksort4j.detectors.rcnn;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.Loss;
import io.ranksort4j.core.loss.box.DiceLoss;
import io.ranksort4j.core.loss.pointwise.BceLoss;
import io.ranksort4j.core.loss.pointwise.CrossEntropyLoss;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.head.HeadLayout;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import io.ranksort4j.detectors.model.DetectorNetwork;
import io.ranksort4j.detectors.model.InjectedLoss;
import io.ranksort4j.detectors.model.ShapeCache;
import io.ranksort4j.detectors.model.TorchResNetWeights;
import io.ranksort4j.detectors.roi.RoiFeatures;
import io.ranksort4j.detectors.assign.RandomSampler;
import io.ranksort4j.detectors.roi.RoiRecipe;
import io.ranksort4j.detectors.roi.RsRoiLoss;
import io.ranksort4j.detectors.roi.SampledRoiLoss;
import io.ranksort4j.detectors.rpn.ProposalGenerator;
import io.ranksort4j.detectors.rpn.RpnRecipe;
import io.ranksort4j.detectors.rpn.RsRpnLoss;
import io.ranksort4j.detectors.rpn.SampledRpnLoss;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A configured two-stage detector before its weights exist: each stage's training recipe (losses built from the
 * registry; RS over all candidates, or a sampled baseline where a sampler is set) and, with {@code mask}, the mask
 * head and its loss (Dice or BCE).
 */
public record RcnnBlueprint(String type, RcnnParams params, boolean mask, RpnRecipe rpnLoss, List<RoiRecipe> stageLosses, Loss maskLoss)
        implements DetectorBlueprint {

    /** Builds the recipes from the config: RPN MaxIoU with low-quality matches, each stage MaxIoU at its IoU. */
    public static RcnnBlueprint of(String type, RcnnParams p, boolean mask, ComponentRegistry r) {
        RcnnParams.RpnParams rpn = p.rpn();
        MaxIouAssigner rpnAssigner = new MaxIouAssigner(rpn.posIouThr(), rpn.negIouThr(), rpn.minPosIou(), true);
        DeltaXywhCoder rpnCoder = new DeltaXywhCoder(rpn.stdArray());
        ClassificationLoss rpnCls = Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.rpnLossCls()), "model.rpn_loss_cls");
        BoxLoss rpnBox = Loss.as(BoxLoss.class, r.build(Loss.FAMILY, p.rpnLossBbox()), "model.rpn_loss_bbox");
        RpnRecipe rpnLoss = rpn.sampler().enabled()
                ? new SampledRpnLoss(rpnAssigner, sampler(rpn.sampler()), rpnCoder, rpnCls, rpnBox, rpn.headWeight(), rpn.allowedBorder())
                : new RsRpnLoss(rpnAssigner, rpnCoder, rpnCls, rpnBox, rpn.headWeight(), rpn.allowedBorder());
        List<RoiRecipe> stages = new ArrayList<>();
        for (int s = 0; s < p.roi().stages(); s++) {
            double iou = p.roi().stageIous().get(s);
            MaxIouAssigner assigner = new MaxIouAssigner(iou, iou, iou, false);
            ClassificationLoss cls = Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.lossCls()), "model.loss_cls");
            BoxLoss box = Loss.as(BoxLoss.class, r.build(Loss.FAMILY, p.lossBbox()), "model.loss_bbox");
            boolean softmax = cls instanceof CrossEntropyLoss;
            if (softmax && ((CrossEntropyLoss) cls).classes() != p.numClasses() + 1) {
                throw new IllegalArgumentException("model.loss_cls.classes is " + ((CrossEntropyLoss) cls).classes()
                        + " but a softmax RoI head has num_classes + 1 = " + (p.numClasses() + 1) + " logits (background last); set model.loss_cls = { type = cross_entropy, classes = "
                        + (p.numClasses() + 1) + " }");
            }
            if (softmax && !p.roi().sampler().enabled()) {
                throw new IllegalArgumentException("model.loss_cls = cross_entropy gives each RoI one label, which needs a RoI sampler: "
                        + "set model.roi.sampler.num (mmdet's Faster R-CNN: 512) or use a sigmoid loss such as rank_sort");
            }
            DeltaXywhCoder coder = new DeltaXywhCoder(p.roi().stds(s));
            stages.add(p.roi().sampler().enabled() ? new SampledRoiLoss(assigner, sampler(p.roi().sampler()), coder, cls, box, softmax)
                    : new RsRoiLoss(assigner, coder, cls, box));
        }
        Loss maskLoss = null;
        if (mask) {
            maskLoss = r.build(Loss.FAMILY, p.lossMask());
            if (!(maskLoss instanceof DiceLoss) && !(maskLoss instanceof BceLoss)) {
                throw new IllegalArgumentException("model.loss_mask must be dice (RS-Mask R-CNN) or bce (Mask R-CNN); got "
                        + maskLoss.getClass().getSimpleName());
            }
        }
        return new RcnnBlueprint(type, p, mask, rpnLoss, List.copyOf(stages), maskLoss);
    }

    private static RandomSampler sampler(RcnnParams.SamplerParams s) {
        return new RandomSampler(s.num(), s.posFraction());
    }

    @Override
    public int numClasses() {
        return params.numClasses();
    }

    @Override
    public List<Integer> inputSize() {
        return params.inputSize();
    }

    @Override
    public TwoStageDetector build(long seed) {
        RcnnParams p = params;
        AnchorGenerator gen = new AnchorGenerator(p.rpn().anchor());
        ShapeCache<HeadLayout> rpnLayouts = new ShapeCache<>((h, w) ->
                new HeadLayout(1, gen.generate(AnchorGenerator.featureSizes(h, w, p.rpn().anchor().strides())), false));
        DetectorNetwork.Built trunk = DetectorNetwork.buildRcnnTrunk(p.buildHeight(), p.buildWidth(), gen.perLocation(), p.backbone(), p.fpnChannels(),
                p.rpn().featChannels(), p.rpn().shareLevels(), new InjectedLoss(), seed, DataType.FLOAT, true);
        if (!p.backbone().pretrained().isEmpty()) {
            TorchResNetWeights.loadPretrained(trunk.backbone(), p.backbone().pretrained());
        }
        RcnnParams.RoiHeadParams roi = p.roi();
        List<HeadNet> heads = new ArrayList<>();
        List<DeltaXywhCoder> coders = new ArrayList<>();
        for (int s = 0; s < roi.stages(); s++) {
            heads.add(HeadNet.box(p.fpnChannels(), roi.roiSize(), roi.fcChannels(), p.numClasses(), stageLosses.get(s).backgroundLogit(), roi.classAgnostic(), seed + 1 + s, DataType.FLOAT));
            coders.add(new DeltaXywhCoder(roi.stds(s)));
        }
        int[] strides = TwoStageDetector.roiStrides();
        RoiFeatures maskFeatures = null;
        HeadNet maskHead = null;
        if (mask) {
            maskFeatures = new RoiFeatures(p.mask().roiSize(), roi.samplingRatio(), roi.finestScale(), strides);
            maskHead = HeadNet.mask(p.fpnChannels(), p.mask().roiSize(), p.mask().convs(), p.mask().channels(), p.numClasses(), seed + 100, DataType.FLOAT);
        }
        TwoStageDetector.Parts parts = new TwoStageDetector.Parts(trunk.graph(), trunk.stem(), trunk.frozenPrefixes(), trunk.tied(), rpnLayouts, rpnLoss,
                new ProposalGenerator(p.rpn().trainProposals(), new DeltaXywhCoder(p.rpn().stdArray())),
                new ProposalGenerator(p.rpn().testProposals(), new DeltaXywhCoder(p.rpn().stdArray())),
                new RoiFeatures(roi.roiSize(), roi.samplingRatio(), roi.finestScale(), strides), heads, stageLosses, coders, maskFeatures, maskHead,
                maskLoss);
        return new TwoStageDetector(p, parts);
    }
}
