package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** oLRP from its definition: min over score-ranked prefixes of (L/(1-τ) + FP + FN) / (TP + FP + FN). */
class OlrpTest {
    @Test
    void olrpIsTheFirstMinimumOverPrefixesWithItsComponentsAndThreshold() {
        // cat 1: 3 GT; ranked TP(IoU .9), FP, TP(IoU .6), FP
        Cases c = new Cases().image(1).cat(1, null).cat(2, null).cat(3, null)
                .gt(1, 1, 1, 0, 0, 10, 10).gt(2, 1, 1, 20, 20, 10, 10).gt(3, 1, 1, 40, 40, 10, 10)
                .dt(1, 1, 0, 0, 10, 9, 0.9).dt(1, 1, 70, 70, 10, 10, 0.8).dt(1, 1, 20, 20, 10, 6, 0.7).dt(1, 1, 80, 0, 10, 10, 0.6)
                .gt(4, 1, 2, 60, 60, 10, 10); // cat 2: GT, no detection; cat 3: no GT at all
        CocoResult r = CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX));
        double l1 = 1 - 0.9;
        double[] prefixes = {
            (l1 / 0.5 + 0 + 2) / 3, (l1 / 0.5 + 1 + 2) / 4, ((2 - (0.9 + 0.6)) / 0.5 + 1 + 1) / 4, ((2 - (0.9 + 0.6)) / 0.5 + 2 + 1) / 5};
        double min = Math.min(Math.min(prefixes[0], prefixes[1]), Math.min(prefixes[2], prefixes[3]));
        CocoResult.CategoryRow row = r.perCategory().get(0);
        assertThat(row.olrp()).isCloseTo(min, within(1e-12)).isCloseTo(prefixes[0], within(1e-12));
        assertThat(row.olrpLoc()).isCloseTo(0.1, within(1e-12));
        assertThat(row.olrpFp()).isEqualTo(0.0);
        assertThat(row.olrpFn()).isCloseTo(2.0 / 3, within(1e-15));
        assertThat(row.olrpThreshold()).isEqualTo(0.9);
        CocoResult.CategoryRow none = r.perCategory().get(1);
        assertThat(none.olrp()).isEqualTo(1.0);
        assertThat(none.olrpFn()).isEqualTo(1.0);
        assertThat(none.olrpLoc()).isNaN();
        assertThat(r.perCategory().get(2).olrp()).isEqualTo(-1.0);
        Map<String, Double> m = r.lrpMap();
        assertThat(m.get("oLRP")).isCloseTo((prefixes[0] + 1) / 2, within(1e-12));
        // components average only categories with a TP
        assertThat(m.get("oLRP_loc")).isCloseTo(0.1, within(1e-12));
        assertThat(m.get("oLRP_FN")).isCloseTo((2.0 / 3 + 1) / 2, within(1e-12));
    }

    @Test
    void aLaterPrefixWinsWhenMoreTruePositivesPayForTheFalseOnes() {
        Cases c = new Cases().image(1).cat(1, null)
                .gt(1, 1, 1, 0, 0, 10, 10).gt(2, 1, 1, 20, 20, 10, 10)
                .dt(1, 1, 70, 70, 10, 10, 0.9).dt(1, 1, 0, 0, 10, 10, 0.8).dt(1, 1, 20, 20, 10, 10, 0.7);
        CocoResult.CategoryRow row = CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX)).perCategory().get(0);
        // prefixes: FP -> 1; FP,TP -> (0+1+1)/3; FP,TP,TP -> (0+1+0)/3
        assertThat(row.olrp()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(row.olrpThreshold()).isEqualTo(0.7);
        assertThat(row.olrpFp()).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(row.olrpFn()).isEqualTo(0.0);
    }
}
