package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.EvalInputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The training-loop API and its registry family. */
class EvaluatorApiTest {
    @Test
    void theEvaluatorFamilyOffersCocoAndLvis() {
        ComponentRegistry r = Injection.registry(List.of());
        assertThat(r.names("evaluator")).contains("coco", "lvis");
        Evaluator e = r.build(Evaluator.FAMILY, ComponentSpec.of("coco", "lrp = true")).create(Golden.gt("coco/edge/gt.json.gz"));
        assertThat(e).isInstanceOf(CocoEvaluator.class);
        assertThat(r.build(Evaluator.FAMILY, ComponentSpec.of("lvis")).create(Golden.gt("coco/edge/gt.json.gz"))).isInstanceOf(LvisEvaluator.class);
    }

    @Test
    void batchesProcessedSinceResetGiveTheSameNumbersAsOneFile() {
        GroundTruth gt = Golden.gt("coco/tiny_coco_val2017/gt.json.gz");
        List<Detection> dets = Golden.dets("coco/tiny_coco_val2017/dt_bbox.json.gz", gt);
        CocoEvaluator e = new CocoEvaluator(gt, CocoEval.Params.defaults(IouType.BBOX), true);
        e.process(List.of(Detection.box(gt.imageIds()[0], gt.categoryIds()[0], 0, 0, 5, 5, 0.5)));
        e.reset();
        for (int i = 0; i < dets.size(); i += 100) {
            e.process(dets.subList(i, Math.min(dets.size(), i + 100)));
        }
        Map<String, Double> m = e.evaluate();
        CocoResult ref = CocoEval.evaluate(gt, dets, CocoEval.Params.defaults(IouType.BBOX));
        assertThat(m).containsAllEntriesOf(ref.statsMap()).containsKeys("oLRP", "oLRP_loc", "oLRP_FP", "oLRP_FN");
        assertThat(m.get("AP")).isBetween(0.0, 1.0);
    }

    @Test
    void anInvalidDetectionIsRejectedNamingIt() {
        GroundTruth gt = Golden.gt("coco/edge/gt.json.gz");
        CocoEvaluator e = new CocoEvaluator(gt, CocoEval.Params.defaults(IouType.BBOX), false);
        assertThatThrownBy(() -> e.process(List.of(Detection.box(12345, 1, 0, 0, 1, 1, 0.5))))
                .isInstanceOf(EvalInputException.class).hasMessageContaining("detection 0").hasMessageContaining("image_id 12345");
    }
}
