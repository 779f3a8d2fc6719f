package io.ranksort4j.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import io.ranksort4j.eval.lvis.LvisEval;
import io.ranksort4j.eval.lvis.LvisResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the LVIS protocol has nothing to add (no crowd, every category verified in every image, nothing
 * non-exhaustive, at most 100 detections per image and category) it must give pycocotools' numbers, which
 * the COCO path reproduces (CocoParityTest): a cross-check of the LVIS path on real tiny_coco data.
 */
class LvisCocoEquivalenceTest {
    @ParameterizedTest
    @ValueSource(strings = {"bbox", "segm"})
    void lvisWithEveryCategoryVerifiedEqualsCocoWithoutCrowd(String iouType) {
        GroundTruth coco = Golden.gt("coco/tiny_coco_val2017/gt.json.gz");
        long[] all = coco.categoryIds();
        List<ImageInfo> images = new ArrayList<>();
        for (ImageInfo im : coco.images()) {
            images.add(new ImageInfo(im.id(), im.height(), im.width(), all, new long[0]));
        }
        List<GtAnnotation> anns = new ArrayList<>();
        for (int i = 0; i < coco.imageCount(); i++) {
            for (GtAnnotation a : coco.annotations(i)) {
                if (!a.iscrowd()) {
                    anns.add(a);
                }
            }
        }
        String[] freq = {"r", "c", "f"};
        List<Category> cats = new ArrayList<>();
        for (Category c : coco.categories()) {
            cats.add(new Category(c.id(), c.name(), freq[(int) (c.id() % 3)]));
        }
        GroundTruth gt = new GroundTruth(images, cats, anns);
        List<Detection> dets = Golden.dets("coco/tiny_coco_val2017/" + (iouType.equals("bbox") ? "dt_bbox.json.gz" : "dt_segm_nobox.json.gz"), gt);
        IouType type = IouType.parse(iouType);
        CocoResult c = CocoEval.evaluate(gt, dets, CocoEval.Params.defaults(type));
        LvisResult l = LvisEval.evaluate(gt, dets, LvisEval.Params.defaults(type));
        Map<String, Double> cs = c.statsMap();
        Map<String, Double> ls = l.statsMap();
        for (String k : List.of("AP", "AP50", "AP75", "APs", "APm", "APl")) {
            assertThat(ls.get(k)).as(k).isCloseTo(cs.get(k), within(1e-12));
        }
        assertThat(ls.get("AR")).isCloseTo(cs.get("AR100"), within(1e-12));
        assertThat(ls.get("ARs")).isCloseTo(cs.get("ARs"), within(1e-12));
        assertThat(ls.get("ARl")).isCloseTo(cs.get("ARl"), within(1e-12));
        for (int k = 0; k < gt.categoryCount(); k++) {
            assertThat(l.categoryAp(k)).as("category index %d", k).isCloseTo(c.categoryAp(k, null, 0), within(1e-12));
        }
        assertThat(ls.get("AP")).isGreaterThan(0.1);
        assertThat(l.lrpMap().get("oLRP")).isCloseTo(c.lrpMap().get("oLRP"), within(1e-12));
    }
}
