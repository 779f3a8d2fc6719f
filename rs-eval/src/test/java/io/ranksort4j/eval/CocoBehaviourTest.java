package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.EvalInputException;
import io.ranksort4j.eval.json.ResultsReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reference's quirks and this evaluator's additions (empty results, validation, threads). */
class CocoBehaviourTest {
    private static List<Detection> read(String json, GroundTruth gt) throws Exception {
        return ResultsReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "dt.json", gt, false);
    }

    private static Cases twoImages() {
        return new Cases().image(1).image(2).cat(1, null).cat(2, null)
                .gt(1, 1, 1, 0, 0, 10, 10).gt(2, 2, 1, 20, 20, 50, 50).gt(3, 2, 2, 0, 0, 100, 100);
    }

    @Test
    void emptyResultsAreNoDetectionsNotACrash() throws Exception {
        GroundTruth gt = twoImages().groundTruth();
        assertThat(read("[]", gt)).isEmpty();
        assertThat(read("", gt)).isEmpty();
        CocoResult r = CocoEval.evaluate(gt, List.of(), CocoEval.Params.defaults(IouType.BBOX));
        assertThat(r.stats()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aPerfectDetectorScoresOneMinusEpsLikePycocotools() {
        // with one GT per category the first (and only) TP has precision 1/(1+eps)
        Cases c = new Cases().image(1).cat(1, null).cat(2, null).gt(1, 1, 1, 0, 0, 10, 10).gt(3, 1, 2, 0, 0, 100, 100)
                .dt(1, 1, 0, 0, 10, 10, 0.9).dt(1, 2, 0, 0, 100, 100, 0.7);
        CocoResult r = CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX));
        assertThat(r.stats()[0]).isEqualTo(0.9999999999999998);
        // a second TP lifts the envelope to 2/(2+eps) = 1 exactly
        Cases two = twoImages().dt(1, 1, 0, 0, 10, 10, 0.9).dt(2, 1, 20, 20, 50, 50, 0.8);
        assertThat(CocoEval.evaluate(two.groundTruth(), two.dets, CocoEval.Params.defaults(IouType.BBOX)).categoryAp(0, null, 0)).isEqualTo(1.0);
        assertThat(r.stats()[8]).isEqualTo(1.0);
        // no medium GT, so APm is -1 (excluded), not 0
        assertThat(r.stats()[4]).isEqualTo(-1.0);
    }

    @Test
    void aGtWithIdZeroIsNeverCountedAsMatched() {
        Cases c = new Cases().image(1).cat(1, null).gt(0, 1, 1, 0, 0, 10, 10).dt(1, 1, 0, 0, 10, 10, 0.9);
        assertThat(CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX)).stats()[0]).isEqualTo(0.0);
    }

    @Test
    void theCapIsPerImageAndCategory() {
        Cases c = new Cases().image(1).cat(1, null).cat(2, null).gt(1, 1, 1, 0, 0, 10, 10).gt(2, 1, 2, 50, 50, 10, 10);
        for (int i = 0; i < 101; i++) {
            c.dt(1, 1, 80, 80, 5, 5, 0.9);
        }
        c.dt(1, 2, 50, 50, 10, 10, 0.1);
        CocoResult r = CocoEval.evaluate(c.groundTruth(), c.dets, CocoEval.Params.defaults(IouType.BBOX));
        assertThat(r.categoryAr(1, 0)).isEqualTo(1.0);
    }

    @Test
    void resultsNamingUnknownIdsOrMalformedBoxesAreRejectedWithTheEntry() {
        GroundTruth gt = twoImages().groundTruth();
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":1},"
                + "{\"image_id\":99,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":1}]", gt))
                .isInstanceOf(EvalInputException.class).hasMessageContaining("dt.json: result [1]").hasMessageContaining("image_id 99");
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":7,\"bbox\":[0,0,1,1],\"score\":1}]", gt))
                .hasMessageContaining("category_id 7");
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1],\"score\":1}]", gt))
                .hasMessageContaining("'bbox' must be [x, y, width, height]");
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1]}]", gt))
                .hasMessageContaining("'score'");
        assertThatThrownBy(() -> read("{\"annotations\": []}", gt)).hasMessageContaining("must be a JSON list");
    }

    @Test
    void aMissingAnnotationFileSaysSoOnce() {
        java.nio.file.Path missing = java.nio.file.Path.of("no-such-dir", "instances_val2017.json");
        assertThatThrownBy(() -> io.ranksort4j.eval.json.GroundTruthReader.read(missing))
                .hasMessage("cannot read annotation file " + missing + ": no such file");
    }

    @Test
    void nanAndInfinityAsPythonsJsonDumpWritesThemAreNamedWithTheirEntry() {
        GroundTruth gt = twoImages().groundTruth();
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":0.5},"
                + "{\"image_id\":1,\"category_id\":1,\"bbox\":[0,0,1,1],\"score\":NaN}]", gt))
                .isInstanceOf(EvalInputException.class).hasMessage("dt.json: result [1]: score is NaN; it must be a finite number");
        assertThatThrownBy(() -> read("[{\"image_id\":1,\"category_id\":1,\"bbox\":[0,-Infinity,1,1],\"score\":0.5}]", gt))
                .hasMessage("dt.json: result [0]: bbox is -Infinity; it must be a finite number");
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreads() {
        GroundTruth gt = Golden.gt("coco/random/gt.json.gz");
        List<Detection> dets = Golden.dets("coco/random/dt_segm.json.gz", gt);
        for (IouType t : IouType.values()) {
            CocoResult one = CocoEval.evaluate(gt, dets, new CocoEval.Params(t, new int[] {1, 10, 100}, 1));
            CocoResult two = CocoEval.evaluate(gt, dets, new CocoEval.Params(t, new int[] {1, 10, 100}, 2));
            assertThat(two.accumulation().precision()).containsExactly(one.accumulation().precision());
            assertThat(two.accumulation().olrp()).containsExactly(one.accumulation().olrp());
        }
    }

    @Test
    void droppingBboxFromSegmResultsMakesSizeClassesFollowTheMask() {
        GroundTruth gt = Golden.gt("coco/random/gt.json.gz");
        List<Detection> withBox = Golden.dets("coco/random/dt_segm.json.gz", gt);
        List<Detection> dropped = new ArrayList<>();
        for (Detection d : withBox) {
            dropped.add(new Detection(d.imageId(), d.categoryId(), null, d.score(), d.segmentation()));
        }
        List<Detection> noBox = Golden.dets("coco/random/dt_segm_nobox.json.gz", gt);
        CocoEval.Params p = CocoEval.Params.defaults(IouType.SEGM);
        assertThat(CocoEval.evaluate(gt, dropped, p).stats()).containsExactly(CocoEval.evaluate(gt, noBox, p).stats());
        assertThat(CocoEval.evaluate(gt, dropped, p).stats()[0]).isEqualTo(CocoEval.evaluate(gt, withBox, p).stats()[0]);
    }
}
