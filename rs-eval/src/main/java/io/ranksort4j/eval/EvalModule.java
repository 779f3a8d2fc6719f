package io.ranksort4j.eval;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.Registries;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.lvis.LvisEval;
import java.util.List;

/** Registers the {@code coco} and {@code lvis} evaluators in the {@code evaluator} family. */
public final class EvalModule extends AbstractModule {
    /** COCO evaluator parameters (pycocotools defaults). */
    public record CocoParams(
            @Param(value = "what IoU is computed on", def = "bbox") IouType iouType,
            @Param(value = "per-image, per-category detection caps; the summary follows them", def = "[1, 10, 100]", min = 1)
            List<Integer> maxDets,
            @Param(value = "also report oLRP and its components", def = "false") boolean lrp,
            @Param(value = "worker threads, 0 = all cores", def = "0", min = 0) int threads) {}

    /** LVIS evaluator parameters (lvis-api defaults). */
    public record LvisParams(
            @Param(value = "what IoU is computed on", def = "bbox") IouType iouType,
            @Param(value = "per-image cap across categories, -1 = none", def = "300", min = -1) int maxDetsPerImage,
            @Param(value = "Fixed AP: top results per category over the dataset, -1 = off", def = "-1", min = -1) int detsPerCategory,
            @Param(value = "also report oLRP and its components", def = "false") boolean lrp,
            @Param(value = "worker threads, 0 = all cores", def = "0", min = 0) int threads) {}

    @Override
    protected void configure() {
        MapBinder<String, ComponentFactory<EvaluatorFactory>> m = Registries.factories(binder(), Evaluator.FAMILY);
        m.addBinding("coco").toInstance(ComponentFactory.of(CocoParams.class,
                "COCO AP/AR exactly as pycocotools (bbox or segm), optional oLRP",
                p -> gt -> new CocoEvaluator(gt, new CocoEval.Params(p.iouType(), p.maxDets().stream().mapToInt(Integer::intValue).toArray(),
                        p.threads()), p.lrp())));
        m.addBinding("lvis").toInstance(ComponentFactory.of(LvisParams.class,
                "LVIS v1 federated AP exactly as lvis-api (APr/APc/APf), optional Fixed AP and oLRP",
                p -> gt -> new LvisEvaluator(gt, new LvisEval.Params(p.iouType(), p.maxDetsPerImage(), p.detsPerCategory(), p.threads()),
                        p.lrp())));
    }
}
