package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every stat and per-category value equals pycocotools 2.0.x's on the committed golden cases (|Δ| ≤ 1e-9). */
class CocoParityTest {
    static final double TOL = 1e-9;
    static double maxDelta;
    static int compared;

    @org.junit.jupiter.api.AfterAll
    static void report() {
        System.out.printf("pycocotools parity: %d values compared, max |delta| = %.3g%n", compared, maxDelta);
    }

    private static synchronized void track(double e, double a) {
        maxDelta = Math.max(maxDelta, Math.abs(e - a));
        compared++;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String c : List.of("edge", "random", "dense", "tiny_coco_val2017", "tiny_coco_train2017")) {
            JsonNode exp = Golden.json("coco/" + c + "/expected.json");
            for (JsonNode e : exp) {
                out.add(Arguments.of(c, e.get("dt_file").asText(), e.get("iou_type").asText(), e.get("max_dets").toString(), e));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} maxDets={3}")
    @MethodSource("cases")
    void statsAndPerCategoryValuesMatchPycocotools(String c, String dtFile, String iouType, String maxDets, JsonNode exp) {
        GroundTruth gt = Golden.gt("coco/" + c + "/gt.json.gz");
        List<Detection> dets = Golden.dets("coco/" + c + "/" + dtFile, gt);
        int[] md = new int[exp.get("max_dets").size()];
        for (int i = 0; i < md.length; i++) {
            md[i] = exp.get("max_dets").get(i).asInt();
        }
        CocoResult r = CocoEval.evaluate(gt, dets, new CocoEval.Params(IouType.parse(iouType), md, 2));
        double[] stats = r.stats();
        for (int i = 0; i < 12; i++) {
            track(exp.get("stats").get(i).asDouble(), stats[i]);
            assertThat(stats[i]).as("stat %s", CocoResult.STAT_KEYS.get(i)).isCloseTo(exp.get("stats").get(i).asDouble(), within(TOL));
        }
        for (int k = 0; k < gt.categoryCount(); k++) {
            check(exp.get("per_category_ap").get(k), r.categoryAp(k, null, 0), "AP of category index " + k);
            check(exp.get("per_category_ap50").get(k), r.categoryAp(k, 0.5, 0), "AP50 of category index " + k);
            check(exp.get("per_category_ar").get(k), r.categoryAr(k, 0), "AR of category index " + k);
        }
    }

    private static void check(JsonNode expected, double actual, String what) {
        if (expected.isNull()) {
            assertThat(actual).as(what).isEqualTo(-1.0);
        } else {
            track(expected.asDouble(), actual);
            assertThat(actual).as(what).isCloseTo(expected.asDouble(), within(TOL));
        }
    }
}
