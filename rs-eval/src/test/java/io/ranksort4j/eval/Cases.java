package io.ranksort4j.eval;

import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import java.util.ArrayList;
import java.util.List;

/** Small hand-built ground truths for behaviour tests. */
final class Cases {
    final List<ImageInfo> images = new ArrayList<>();
    final List<Category> cats = new ArrayList<>();
    final List<GtAnnotation> anns = new ArrayList<>();
    final List<Detection> dets = new ArrayList<>();

    Cases image(long id) {
        return image(id, new long[0], new long[0]);
    }

    Cases image(long id, long[] neg, long[] notExhaustive) {
        images.add(new ImageInfo(id, 100, 100, neg, notExhaustive));
        return this;
    }

    Cases cat(long id, String freq) {
        cats.add(new Category(id, "c" + id, freq));
        return this;
    }

    Cases gt(long id, long img, long cat, double x, double y, double w, double h) {
        return gt(id, img, cat, x, y, w, h, false, false);
    }

    Cases gt(long id, long img, long cat, double x, double y, double w, double h, boolean crowd, boolean ignore) {
        anns.add(new GtAnnotation(id, img, cat, new double[] {x, y, w, h}, w * h, crowd, ignore, null));
        return this;
    }

    Cases dt(long img, long cat, double x, double y, double w, double h, double score) {
        dets.add(Detection.box(img, cat, x, y, w, h, score));
        return this;
    }

    GroundTruth groundTruth() {
        return new GroundTruth(images, cats, anns);
    }
}
