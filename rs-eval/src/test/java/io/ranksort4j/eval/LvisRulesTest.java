package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.lvis.LvisEval;
import io.ranksort4j.eval.lvis.LvisResult;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Hand-computed golden cases for lvis-api's rules (docs/eval.md §6); lvis-api itself cannot be
 * installed here. A TP ranked first gives precision 1/(1+eps) = 0.9999999999999998.
 */
class LvisRulesTest {
    static final double ONE = 1 / (1 + Math.ulp(1.0));

    private static LvisResult run(Cases c, LvisEval.Params p) {
        return LvisEval.evaluate(c.groundTruth(), c.dets, p);
    }

    @Test
    void federatedFilteringNegativeAndNotExhaustiveCategoriesFollowLvisApi() {
        Cases c = new Cases().image(1, new long[] {2}, new long[] {3}).image(2)
                .cat(1, "f").cat(2, "c").cat(3, "r").cat(4, "f")
                .gt(1, 1, 1, 0, 0, 10, 10).gt(2, 1, 3, 50, 50, 10, 10).gt(3, 2, 2, 0, 0, 20, 20).gt(4, 2, 4, 40, 40, 10, 10)
                .dt(1, 1, 0, 0, 10, 10, 0.9).dt(1, 1, 30, 30, 10, 10, 0.8) // cat 1: TP then FP
                .dt(1, 2, 0, 0, 10, 10, 0.7).dt(2, 2, 0, 0, 20, 20, 0.6) // cat 2: verified absent in image 1, so an FP first
                .dt(1, 4, 0, 0, 10, 10, 0.95).dt(2, 4, 40, 40, 10, 10, 0.5) // cat 4 unverified in image 1: discarded
                .dt(1, 3, 80, 80, 10, 10, 0.99).dt(1, 3, 50, 50, 10, 10, 0.3); // cat 3 not exhaustive: unmatched is ignored
        LvisResult r = run(c, LvisEval.Params.defaults(IouType.BBOX));
        assertThat(r.categoryAp(0)).isEqualTo(ONE);
        assertThat(r.categoryAp(1)).isEqualTo(0.5);
        assertThat(r.categoryAp(2)).isEqualTo(ONE);
        assertThat(r.categoryAp(3)).isEqualTo(ONE);
        Map<String, Double> s = r.statsMap();
        assertThat(s.keySet()).containsExactlyElementsOf(LvisResult.KEYS);
        assertThat(s.get("AP")).isCloseTo((3 * ONE + 0.5) / 4, within(1e-15));
        assertThat(s.get("APr")).isEqualTo(ONE);
        assertThat(s.get("APc")).isEqualTo(0.5);
        assertThat(s.get("APf")).isEqualTo(ONE);
        assertThat(s.get("AR")).isEqualTo(1.0);
        assertThat(s.get("APs")).isCloseTo(s.get("AP"), within(1e-15));
        assertThat(s.get("APm")).isEqualTo(-1.0);
        assertThat(s.get("APl")).isEqualTo(-1.0);
    }

    @Test
    void the300CapIsPerImageAcrossCategoriesBeforeFederatedFiltering() {
        Cases c = new Cases().image(1).cat(1, "f").cat(4, "f").gt(1, 1, 1, 0, 0, 10, 10);
        for (int i = 0; i < 300; i++) {
            c.dt(1, 4, 50, 50, 10, 10, 0.9); // unverified category: filtered later, but uses up the budget
        }
        c.dt(1, 1, 0, 0, 10, 10, 0.5);
        assertThat(run(c, LvisEval.Params.defaults(IouType.BBOX)).categoryAp(0)).isEqualTo(0.0);
        assertThat(run(c, new LvisEval.Params(IouType.BBOX, -1, -1, 1)).categoryAp(0)).isEqualTo(ONE);
        // Fixed AP: a per-category budget instead of the per-image one
        assertThat(run(c, new LvisEval.Params(IouType.BBOX, 300, 1, 1)).categoryAp(0)).isEqualTo(ONE);
    }

    @Test
    void zeroAreaDetectionsVanishInLvisButAreFalsePositivesInCoco() {
        Cases c = new Cases().image(1).cat(1, "f").gt(1, 1, 1, 0, 0, 10, 10)
                .dt(1, 1, 50, 50, 0, 10, 0.9).dt(1, 1, 0, 0, 10, 10, 0.5);
        assertThat(run(c, LvisEval.Params.defaults(IouType.BBOX)).categoryAp(0)).isEqualTo(ONE);
        assertThat(CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX)).stats()[0]).isEqualTo(0.5);
    }

    @Test
    void theIgnoreFieldIsHonouredAndCrowdIsNotSpecial() {
        Cases c = new Cases().image(1).cat(1, "f")
                .gt(1, 1, 1, 0, 0, 10, 10, false, true).gt(2, 1, 1, 20, 20, 10, 10).gt(3, 1, 1, 40, 40, 10, 10, true, false)
                .dt(1, 1, 0, 0, 10, 10, 0.9).dt(1, 1, 20, 20, 10, 10, 0.5).dt(1, 1, 40, 40, 10, 10, 0.4)
                .dt(1, 1, 41, 41, 9, 9, 0.3); // a second detection on the crowd GT is a plain FP in LVIS
        LvisResult r = run(c, LvisEval.Params.defaults(IouType.BBOX));
        // ranks: ignored, TP, TP, FP -> the envelope is 2/(2+eps) = 1 up to recall 1
        assertThat(r.categoryAp(0)).isEqualTo(1.0);
        assertThat(r.statsMap().get("AR")).isEqualTo(1.0);
        // pycocotools ignores the crowd GT instead and lets it absorb both detections
        assertThat(CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX)).categoryAr(0, 0)).isEqualTo(1.0);
    }
}
