package io.ranksort4j.detectors.rcnn;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.Loss;
import io.ranksort4j.core.loss.box.DiceLoss;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import io.ranksort4j.detectors.model.DetectorNetwork;
import io.ranksort4j.detectors.model.InjectedLoss;
import io.ranksort4j.detectors.model.TorchResNetWeights;
import io.ranksort4j.detectors.roi.RoiFeatures;
import io.ranksort4j.detectors.roi.RsRoiLoss;
import io.ranksort4j.detectors.rpn.ProposalGenerator;
import io.ranksort4j.detectors.rpn.RsRpnLoss;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A configured two-stage detector before its weights exist: the RS recipe of every stage (losses built from the
 * registry) and, with {@code mask}, the RS-Mask R-CNN mask head.
 */
public record RcnnBlueprint(String type, RcnnParams params, boolean mask, RsRpnLoss rpnLoss, List<RsRoiLoss> stageLosses, DiceLoss maskLoss)
        implements DetectorBlueprint {

    /** Builds the recipe from the config's losses: RPN MaxIoU with low-quality matches, each stage MaxIoU at its IoU. */
    public static RcnnBlueprint of(String type, RcnnParams p, boolean mask, ComponentRegistry r) {
        RcnnParams.RpnParams rpn = p.rpn();
        RsRpnLoss rpnLoss = new RsRpnLoss(new MaxIouAssigner(rpn.posIouThr(), rpn.negIouThr(), rpn.minPosIou(), true), DeltaXywhCoder.standard(),
                Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.rpnLossCls()), "model.rpn_loss_cls"),
                Loss.as(BoxLoss.class, r.build(Loss.FAMILY, p.rpnLossBbox()), "model.rpn_loss_bbox"), rpn.headWeight());
        List<RsRoiLoss> stages = new ArrayList<>();
        for (int s = 0; s < p.roi().stages(); s++) {
            double iou = p.roi().stageIous().get(s);
            stages.add(new RsRoiLoss(new MaxIouAssigner(iou, iou, iou, false), new DeltaXywhCoder(p.roi().stds(s)),
                    Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.lossCls()), "model.loss_cls"),
                    Loss.as(BoxLoss.class, r.build(Loss.FAMILY, p.lossBbox()), "model.loss_bbox")));
        }
        DiceLoss dice = mask ? Loss.as(DiceLoss.class, r.build(Loss.FAMILY, p.lossMask()), "model.loss_mask") : null;
        return new RcnnBlueprint(type, p, mask, rpnLoss, List.copyOf(stages), dice);
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
        if (p.rpn().anchor().strides().size() != 5) {
            throw new IllegalArgumentException("model.rpn.anchor.strides must give the 5 levels P2–P6 (e.g. [4, 8, 16, 32, 64]); got "
                    + p.rpn().anchor().strides());
        }
        Anchors anchors = gen.generate(AnchorGenerator.featureSizes(p.height(), p.width(), p.rpn().anchor().strides()));
        DetectorNetwork.Built trunk = DetectorNetwork.buildRcnnTrunk(p.height(), p.width(), gen.perLocation(), p.backbone(), p.fpnChannels(),
                p.rpn().featChannels(), new InjectedLoss(), seed, DataType.FLOAT);
        if (!p.backbone().pretrained().isEmpty()) {
            TorchResNetWeights.load(trunk.graph(), new java.io.File(p.backbone().pretrained()));
        }
        RcnnParams.RoiHeadParams roi = p.roi();
        List<HeadNet> heads = new ArrayList<>();
        List<DeltaXywhCoder> coders = new ArrayList<>();
        for (int s = 0; s < roi.stages(); s++) {
            heads.add(HeadNet.box(p.fpnChannels(), roi.roiSize(), roi.fcChannels(), p.numClasses(), roi.classAgnostic(), seed + 1 + s, DataType.FLOAT));
            coders.add(new DeltaXywhCoder(roi.stds(s)));
        }
        int[] strides = TwoStageDetector.roiStrides();
        RoiFeatures maskFeatures = null;
        HeadNet maskHead = null;
        if (mask) {
            maskFeatures = new RoiFeatures(p.mask().roiSize(), roi.samplingRatio(), roi.finestScale(), strides);
            maskHead = HeadNet.mask(p.fpnChannels(), p.mask().roiSize(), p.mask().convs(), p.mask().channels(), p.numClasses(), seed + 100, DataType.FLOAT);
        }
        TwoStageDetector.Parts parts = new TwoStageDetector.Parts(trunk.graph(), trunk.frozenPrefixes(), anchors, rpnLoss,
                new ProposalGenerator(p.rpn().trainProposals(), DeltaXywhCoder.standard()),
                new ProposalGenerator(p.rpn().testProposals(), DeltaXywhCoder.standard()),
                new RoiFeatures(roi.roiSize(), roi.samplingRatio(), roi.finestScale(), strides), heads, stageLosses, coders, maskFeatures, maskHead,
                maskLoss);
        return new TwoStageDetector(p, parts);
    }
}
