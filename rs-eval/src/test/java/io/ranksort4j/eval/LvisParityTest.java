package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.lvis.LvisEval;
import io.ranksort4j.eval.lvis.LvisResult;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * LVIS on tiny_coco made federated (negative / not-exhaustive lists, r/c/f frequencies, ignore flags, images
 * with more than 300 results, zero-area results) against make_golden.py's independent implementation of
 * lvis-api's rules on top of pycocotools.
 */
class LvisParityTest {
    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (JsonNode e : Golden.json("lvis/tiny_coco_val2017_lvis/expected.json")) {
            out.add(Arguments.of(e.get("dt_file").asText(), e.get("iou_type").asText(), e.get("max_dets").asInt(), e));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} maxDets={2}")
    @MethodSource("cases")
    void federatedResultsMatchTheRulesReference(String dtFile, String iouType, int maxDets, JsonNode exp) {
        GroundTruth gt = Golden.gt("lvis/tiny_coco_val2017_lvis/gt.json.gz");
        List<Detection> dets = Golden.dets("lvis/tiny_coco_val2017_lvis/" + dtFile, gt);
        LvisResult r = LvisEval.evaluate(gt, dets, new LvisEval.Params(IouType.parse(iouType), maxDets, -1, 2));
        for (String k : LvisResult.KEYS) {
            assertThat(r.statsMap().get(k)).as(k).isCloseTo(exp.get("stats").get(k).asDouble(), within(1e-9));
        }
        for (int k = 0; k < gt.categoryCount(); k++) {
            JsonNode e = exp.get("per_category_ap").get(k);
            assertThat(r.categoryAp(k)).as("category index %d", k).isCloseTo(e.isNull() ? -1.0 : e.asDouble(), within(1e-9));
        }
    }
}
