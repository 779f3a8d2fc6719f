package io.ranksort4j.detectors;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.Loss;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Registries;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.AtssAssigner;
import io.ranksort4j.detectors.assign.GaussianMixture1d;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.assign.PaaAssigner;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.detectors.head.AlrpHeadLoss;
import io.ranksort4j.detectors.head.DenseHeadLoss;
import io.ranksort4j.detectors.head.FocalAtssLoss;
import io.ranksort4j.detectors.head.PaaLoss;
import io.ranksort4j.detectors.head.RankSortAtssLoss;
import io.ranksort4j.detectors.head.RetinaLoss;
import io.ranksort4j.detectors.model.DenseDetectorParams;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import io.ranksort4j.detectors.rcnn.RcnnBlueprint;
import io.ranksort4j.detectors.rcnn.RcnnParams;
import java.util.function.BiFunction;

/** Registers the detectors (rs_atss, atss, rs_paa, paa, retinanet, alrp_loss, rs_faster_rcnn, rs_cascade_rcnn, rs_mask_rcnn, faster_rcnn, mask_rcnn) and the anchor assigners (atss, max_iou, paa). */
public final class DetectorModule extends AbstractModule {

    /** ATSS assignment parameters. */
    public record AtssParams(@Param(value = "candidates per level and GT, by centre distance", def = "9", min = 1) int topk) {}

    /** Max-IoU assignment parameters (RetinaNet: 0.5 / 0.4 / 0). */
    public record MaxIouParams(
            @Param(value = "IoU at or above which an anchor is positive", def = "0.5", min = 0, max = 1) double posIouThr,
            @Param(value = "IoU below which an anchor is background", def = "0.4", min = 0, max = 1) double negIouThr,
            @Param(value = "a GT's best anchors are positive if their IoU is at least this", def = "0.0", min = 0, max = 1) double minPosIou) {}

    /** PAA assignment parameters (mmdetection's PAAHead and train_cfg; the mixture as it calls scikit-learn). */
    public record PaaParams(
            @Param(value = "candidates per GT and level kept for the mixture, by lowest score", def = "9", min = 1) int topk,
            @Param(value = "IoU at or above which an anchor is a candidate (each GT also claims its best anchors)", def = "0.1", min = 0, max = 1) double posIouThr,
            @Param(value = "weight of the GIoU loss in a candidate's score (the detector's loss_bbox weight: paa 1.3, rs_paa 1)", def = "1.0", min = 0) double boxWeight,
            @Param(value = "focal α of the classification part of the score", def = "0.25", min = 0, max = 1) double alpha,
            @Param(value = "focal γ of the classification part of the score", def = "2.0", min = 0) double gamma,
            @Param(value = "variance added in every M-step (the official call's reg_covar)", def = "1e-5", min = 0) double regCovar,
            @Param(value = "EM stops when the mean log-likelihood changes by less than this (sklearn's tol)", def = "1e-3", min = 0) double tol,
            @Param(value = "EM steps at most (sklearn's max_iter)", def = "100", min = 1) int maxIter) {}

    @Override
    protected void configure() {
        MapBinder<String, ComponentFactory<Assigner>> assigners = Registries.factories(binder(), Assigner.FAMILY);
        assigners.addBinding("atss").toInstance(ComponentFactory.of(AtssParams.class, "ATSS: adaptive IoU threshold over top-k nearest anchors",
                p -> new AtssAssigner(p.topk())));
        assigners.addBinding("max_iou").toInstance(ComponentFactory.of(MaxIouParams.class, "max-IoU with positive / negative thresholds",
                p -> new MaxIouAssigner(p.posIouThr(), p.negIouThr(), p.minPosIou())));
        assigners.addBinding("paa").toInstance(ComponentFactory.of(PaaParams.class,
                "PAA: per GT a 2-component Gaussian mixture over its candidates' loss scores (focal + GIoU, current outputs); paa and rs_paa only",
                p -> new PaaAssigner(p.topk(), p.posIouThr(), p.alpha(), p.gamma(), p.boxWeight(),
                        new GaussianMixture1d.Settings(p.regCovar(), p.tol(), p.maxIter(), GaussianMixture1d.Settings.PAA.eps(), true))));

        MapBinder<String, ComponentFactory<DetectorBlueprint>> detectors = Registries.factories(binder(), DetectorBlueprint.FAMILY);
        detectors.addBinding("rs_atss").toInstance(detector("rs_atss",
                "RS-ATSS: Rank & Sort loss on IoU targets, GIoU weighted by score, value-based λ, no centerness",
                (p, r) -> new RankSortAtssLoss(assigner(p, r), DenseBlueprint.coder(p), cls(p, r), box(p.lossBbox(), r), p.rs(),
                        p.rs().centerness() ? centerness(p, r) : null))
                .withDefaults("loss_cls { type = rank_sort }"));
        detectors.addBinding("atss").toInstance(detector("atss", "ATSS: focal loss, GIoU weighted by centerness, centerness branch",
                (p, r) -> new FocalAtssLoss(assigner(p, r), DenseBlueprint.coder(p), cls(p, r), box(p.lossBbox(), r), centerness(p, r)))
                .withDefaults("loss_bbox { type = giou, loss_weight = 2.0 }"));
        detectors.addBinding("rs_paa").toInstance(detector("rs_paa",
                "RS-PAA: RS-ATSS's recipe (RS loss on IoU targets, GIoU weighted by score, value-based λ) with PAA assignment and score voting",
                (p, r) -> new RankSortAtssLoss(paaAssigner("rs_paa", p, r), DenseBlueprint.coder(p), cls(p, r), box(p.lossBbox(), r), p.rs(),
                        p.rs().centerness() ? centerness(p, r) : null))
                .withDefaults("assigner { type = paa }, loss_cls { type = rank_sort }, test { score_voting = true }"));
        detectors.addBinding("paa").toInstance(detector("paa",
                "PAA: focal loss, GIoU weighted by IoU, IoU branch with BCE (√(score · IoU) at test), PAA assignment, score voting",
                (p, r) -> new PaaLoss(paaAssigner("paa", p, r), DenseBlueprint.coder(p), cls(p, r), box(p.lossBbox(), r), centerness(p, r)))
                .withDefaults("assigner { type = paa, box_weight = 1.3 }, loss_bbox { type = giou, loss_weight = 1.3 }, "
                        + "loss_centerness { type = bce, loss_weight = 0.5 }, test { score_voting = true, branch_score = sqrt }"));
        detectors.addBinding("retinanet").toInstance(detector("retinanet", "RetinaNet: focal loss and L1 on deltas, max-IoU assignment",
                (p, r) -> new RetinaLoss(assigner(p, r), DenseBlueprint.coder(p), cls(p, r), box(p.lossBbox(), r)))
                .withDefaults("assigner { type = max_iou }, loss_bbox { type = l1 }"));
        detectors.addBinding("alrp_loss").toInstance(detector("alrp_loss",
                "aLRP Loss: ranking of positives by classification and localisation (GIoU) together, self-balanced",
                (p, r) -> new AlrpHeadLoss(assigner(p, r), DenseBlueprint.coder(p),
                        Loss.as(AlrpLoss.class, r.build(Loss.FAMILY, p.lossCls()), "model.loss_cls"), box(p.lossBbox(), r)))
                .withDefaults("assigner { type = max_iou }, loss_cls { type = alrp }"));
        detectors.addBinding("rs_faster_rcnn").toInstance(ComponentFactory.of(RcnnParams.class,
                "RS-Faster R-CNN: RS loss in the RPN (×0.2) and the RoI head over all proposals, GIoU with value-based λ, no sampling",
                (p, r) -> (DetectorBlueprint) RcnnBlueprint.of("rs_faster_rcnn", p, false, r)));
        detectors.addBinding("rs_cascade_rcnn").toInstance(ComponentFactory.of(RcnnParams.class,
                "RS-Cascade R-CNN: three RS stages at IoU 0.5 / 0.6 / 0.7, weights 1 / 1 / 1, test averages the stages' logits",
                (p, r) -> (DetectorBlueprint) RcnnBlueprint.of("rs_cascade_rcnn", p, false, r))
                .withDefaults("roi { stage_ious = [0.5, 0.6, 0.7], stage_weights = [1.0, 1.0, 1.0], class_agnostic = true, "
                        + "stage_stds = [0.1, 0.1, 0.2, 0.2, 0.05, 0.05, 0.1, 0.1, 0.033, 0.033, 0.067, 0.067] }"));
        detectors.addBinding("rs_mask_rcnn").toInstance(ComponentFactory.of(RcnnParams.class,
                "RS-Mask R-CNN: RS-Faster R-CNN plus an FCN mask head trained with Dice, weighted by the box weights, own λ",
                (p, r) -> (DetectorBlueprint) RcnnBlueprint.of("rs_mask_rcnn", p, true, r)));
        detectors.addBinding("faster_rcnn").toInstance(ComponentFactory.of(RcnnParams.class,
                "Faster R-CNN baseline: RPN BCE + L1 on 256 sampled anchors, RoI softmax cross-entropy (C + 1) + L1 on 512 sampled RoIs",
                (p, r) -> (DetectorBlueprint) RcnnBlueprint.of("faster_rcnn", p, false, r))
                .withDefaults(SAMPLED_BASELINE));
        detectors.addBinding("mask_rcnn").toInstance(ComponentFactory.of(RcnnParams.class,
                "Mask R-CNN baseline: Faster R-CNN plus the FCN mask head trained with per-pixel BCE on every sampled positive",
                (p, r) -> (DetectorBlueprint) RcnnBlueprint.of("mask_rcnn", p, true, r))
                .withDefaults(SAMPLED_BASELINE + ", loss_mask { type = bce }, mask { max_masks = 1000000 }"));
    }

    /** mmdetection's faster_rcnn_r50_fpn: sampled RPN (stds 1, weight 1) and RoI head, softmax + L1 on deltas. */
    private static final String SAMPLED_BASELINE = "rpn { head_weight = 1.0, stds = [1.0, 1.0, 1.0, 1.0], sampler { num = 256, pos_fraction = 0.5 } }, "
            + "roi { sampler { num = 512, pos_fraction = 0.25 } }, rpn_loss_cls { type = bce }, rpn_loss_bbox { type = l1 }, "
            + "loss_cls { type = cross_entropy, classes = 81 }, loss_bbox { type = l1 }";

    private static ComponentFactory<DetectorBlueprint> detector(String type, String doc, BiFunction<DenseDetectorParams, ComponentRegistry, DenseHeadLoss> recipe) {
        return ComponentFactory.of(DenseDetectorParams.class, doc, (p, r) -> new DenseBlueprint(type, p, recipe.apply(p, r)));
    }

    private static Assigner assigner(DenseDetectorParams p, ComponentRegistry r) {
        Assigner a = r.build(Assigner.FAMILY, p.assigner());
        if (a instanceof PaaAssigner) {
            throw new IllegalArgumentException("model.assigner: 'paa' scores anchors with the detector's own losses and works only with "
                    + "model.type = paa or rs_paa; choose atss or max_iou for this detector (see 'rs4j components assigner')");
        }
        return a;
    }

    private static PaaAssigner paaAssigner(String type, DenseDetectorParams p, ComponentRegistry r) {
        Assigner a = r.build(Assigner.FAMILY, p.assigner());
        if (!(a instanceof PaaAssigner paa)) {
            throw new IllegalArgumentException("model.assigner: model.type = " + type + " needs assigner type paa, got '"
                    + p.assigner().type() + "'; set model.assigner.type = paa (or model.type = " + type.replace("paa", "atss") + ")");
        }
        return paa;
    }

    private static ClassificationLoss cls(DenseDetectorParams p, ComponentRegistry r) {
        return Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.lossCls()), "model.loss_cls");
    }

    private static ClassificationLoss centerness(DenseDetectorParams p, ComponentRegistry r) {
        return Loss.as(ClassificationLoss.class, r.build(Loss.FAMILY, p.lossCenterness()), "model.loss_centerness");
    }

    private static BoxLoss box(ComponentSpec spec, ComponentRegistry r) {
        return Loss.as(BoxLoss.class, r.build(Loss.FAMILY, spec), "model.loss_bbox");
    }
}
