package io.ranksort4j.core.loss;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.loss.box.DiceLoss;
import io.ranksort4j.core.loss.box.GiouLoss;
import io.ranksort4j.core.loss.box.L1Loss;
import io.ranksort4j.core.loss.box.SmoothL1Loss;
import io.ranksort4j.core.loss.pointwise.BceLoss;
import io.ranksort4j.core.loss.pointwise.CrossEntropyLoss;
import io.ranksort4j.core.loss.pointwise.FocalLoss;
import io.ranksort4j.core.loss.pointwise.QualityFocalLoss;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.core.loss.rank.AlrpParams;
import io.ranksort4j.core.loss.rank.ApLoss;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.core.loss.rank.RankSortParams;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.Registries;

/** Registers the built-in losses in the {@code loss} family. */
public final class LossModule extends AbstractModule {
    /** AP loss parameters. */
    public record ApParams(@Param(value = "margin of the smoothed step", def = "1.0", min = 1e-6, max = 10) double delta) {}

    /** Focal loss parameters (mmdetection defaults). */
    public record FocalParams(
            @Param(value = "weight of the positive class", def = "0.25", min = 0, max = 1) double alpha,
            @Param(value = "focusing exponent", def = "2.0", min = 0) double gamma,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** Parameters of losses that only carry a weight. */
    public record WeightParams(@Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** IoU-type box loss parameters. */
    public record IouParams(
            @Param(value = "clamp of union and enclosing area", def = "1e-6", min = 0) double eps,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** Smooth L1 parameters. */
    public record SmoothL1Params(
            @Param(value = "switch point between quadratic and linear", def = "1.0", min = 1e-9) double beta,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** Quality focal loss parameters. */
    public record QualityFocalParams(
            @Param(value = "modulating exponent on |σ(x) − IoU|", def = "2.0", min = 0) double beta,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** Softmax cross-entropy parameters. */
    public record CrossEntropyParams(
            @Param(value = "classes per row, background included", def = "81", min = 2) int classes,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    /** Dice loss parameters. */
    public record DiceParams(
            @Param(value = "added to the denominator", def = "1e-5", min = 0) double eps,
            @Param(value = "multiplier of the loss", def = "1.0", min = 0) double lossWeight) {}

    @Override
    protected void configure() {
        MapBinder<String, ComponentFactory<Loss>> m = Registries.factories(binder(), Loss.FAMILY);
        m.addBinding("rank_sort").toInstance(ComponentFactory.of(RankSortParams.class,
                "Rank & Sort loss (ICCV 2021): rank positives above negatives, sort positives by IoU", p -> new RankSortLoss(p)));
        m.addBinding("ap").toInstance(ComponentFactory.of(ApParams.class,
                "AP loss (Chen et al. 2019) with interpolated error-driven update", p -> new ApLoss(p.delta())));
        m.addBinding("alrp").toInstance(ComponentFactory.of(AlrpParams.class,
                "aLRP loss (NeurIPS 2020): classification + localisation with self-balance", p -> new AlrpLoss(p)));
        m.addBinding("focal").toInstance(ComponentFactory.of(FocalParams.class,
                "sigmoid focal loss, summed and divided by the positives", p -> new FocalLoss(p.alpha(), p.gamma(), p.lossWeight())));
        m.addBinding("quality_focal").toInstance(ComponentFactory.of(QualityFocalParams.class,
                "quality focal loss (GFL) on IoU targets", p -> new QualityFocalLoss(p.beta(), p.lossWeight())));
        m.addBinding("bce").toInstance(ComponentFactory.of(WeightParams.class,
                "sigmoid binary cross-entropy with soft targets, mean over counted entries", p -> new BceLoss(p.lossWeight())));
        m.addBinding("cross_entropy").toInstance(ComponentFactory.of(CrossEntropyParams.class,
                "softmax cross-entropy over rows of classes (last = background)", p -> new CrossEntropyLoss(p.classes(), p.lossWeight())));
        m.addBinding("giou").toInstance(ComponentFactory.of(IouParams.class,
                "generalised IoU loss on x1,y1,x2,y2 boxes", p -> new GiouLoss(p.eps(), p.lossWeight(), true)));
        m.addBinding("iou").toInstance(ComponentFactory.of(IouParams.class,
                "IoU loss 1 − IoU on x1,y1,x2,y2 boxes", p -> new GiouLoss(p.eps(), p.lossWeight(), false)));
        m.addBinding("l1").toInstance(ComponentFactory.of(WeightParams.class,
                "L1 loss (boxes or deltas)", p -> new L1Loss(p.lossWeight())));
        m.addBinding("smooth_l1").toInstance(ComponentFactory.of(SmoothL1Params.class,
                "smooth L1 loss (boxes or deltas)", p -> new SmoothL1Loss(p.beta(), p.lossWeight())));
        m.addBinding("dice").toInstance(ComponentFactory.of(DiceParams.class,
                "Dice loss on mask logits", p -> new DiceLoss(p.eps(), p.lossWeight())));
    }
}
