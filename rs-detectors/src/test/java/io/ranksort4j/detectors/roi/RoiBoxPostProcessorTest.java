package io.ranksort4j.detectors.roi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import io.ranksort4j.detectors.box.Boxes;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.box.Nms;
import io.ranksort4j.detectors.head.Detection;
import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * RoiBoxPostProcessor against a slow definitional version of mmdetection's get_bboxes + multiclass_nms, hand-made
 * tie cases, and a golden file from mmdet's algorithm run in torch (src/test/python/export_roi_postprocess.py).
 *
 * <p>Tie rule: equal scores are ordered by the lower flat (RoI, class) index, roi × C + class, both inside NMS and
 * in the final ranking, as a stable sort of the pairs in flat order gives.
 */
class RoiBoxPostProcessorTest {
    private static final DeltaXywhCoder RCNN_CODER = new DeltaXywhCoder(0.1, 0.1, 0.2, 0.2);

    /** Everything done the obvious way: decode every pair, filter, greedy NMS class by class, one global ranking. */
    static List<Detection> slow(float[] rois, float[] logits, float[] deltas, int c, int w, int h, float sw,
            float sh, RoiBoxPostProcessor.Params p, DeltaXywhCoder coder) {
        int r = rois.length / 4;
        float[] score = new float[r * c];
        float[] box = new float[4 * r * c];
        for (int f = 0; f < r * c; f++) {
            score[f] = (float) (1 / (1 + Math.exp(-(double) logits[f])));
            coder.decode(rois, f / c, deltas, p.classAgnostic() ? f / c : f, box, f, w, h);
            for (int q = 0; q < 4; q++) {
                box[4 * f + q] /= q % 2 == 0 ? sw : sh;
            }
        }
        Comparator<Integer> rank = Comparator.<Integer>comparingDouble(f -> -score[f]).thenComparingInt(f -> f);
        List<Integer> kept = new ArrayList<>();
        for (int cls = 0; cls < c; cls++) {
            List<Integer> mine = new ArrayList<>();
            for (int roi = 0; roi < r; roi++) {
                if (score[roi * c + cls] > p.scoreThr()) {
                    mine.add(roi * c + cls);
                }
            }
            mine.sort(rank);
            List<Integer> survivors = new ArrayList<>();
            for (int f : mine) {
                if (survivors.stream().noneMatch(s -> Boxes.iou(box, s, box, f, 0) > p.nmsIou())) {
                    survivors.add(f);
                }
            }
            kept.addAll(survivors);
        }
        kept.sort(rank);
        List<Detection> out = new ArrayList<>();
        for (int f : kept.subList(0, p.maxPerImg() > 0 ? Math.min(p.maxPerImg(), kept.size()) : kept.size())) {
            out.add(new Detection(box[4 * f], box[4 * f + 1], box[4 * f + 2], box[4 * f + 3], f % c, score[f]));
        }
        return out;
    }

    /** Clustered RoIs inside a w×h image, so NMS has work; logits and deltas with exact ties copied in. */
    private static float[][] randomCase(Random rnd, int r, int c, boolean agnostic, int w, int h, float shift) {
        float[] rois = new float[4 * r];
        float[][] centres = new float[Math.max(3, r / 15)][];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = new float[] {w * (0.1f + 0.8f * rnd.nextFloat()), h * (0.1f + 0.8f * rnd.nextFloat())};
        }
        for (int i = 0; i < r; i++) {
            float[] ctr = centres[rnd.nextInt(centres.length)];
            float cx = ctr[0] + 4 * (float) rnd.nextGaussian();
            float cy = ctr[1] + 4 * (float) rnd.nextGaussian();
            float bw = 8 + rnd.nextFloat() * 0.5f * Math.min(w, h);
            float bh = 8 + rnd.nextFloat() * 0.5f * Math.min(w, h);
            rois[4 * i] = Math.max(0, cx - bw / 2);
            rois[4 * i + 1] = Math.max(0, cy - bh / 2);
            rois[4 * i + 2] = Math.min(w, cx + bw / 2);
            rois[4 * i + 3] = Math.min(h, cy + bh / 2);
        }
        float[] logits = new float[r * c];
        for (int f = 0; f < logits.length; f++) {
            logits[f] = shift + 2 * (float) rnd.nextGaussian();
        }
        int per = agnostic ? 4 : 4 * c;
        float[] deltas = new float[r * per];
        for (int k = 0; k < deltas.length; k++) {
            deltas[k] = (float) rnd.nextGaussian() * (k % 4 < 2 ? 0.5f : 1f);
        }
        deltas[2] = 30f; // beyond wh_ratio_clip
        // ties: one RoI with all classes equal, one class with ten RoIs equal, ten RoIs duplicating ten others
        for (int cls = 0; cls < c; cls++) {
            logits[3 * c + cls] = 1.25f;
        }
        for (int roi = 10; roi < 20; roi++) {
            logits[roi * c + Math.min(1, c - 1)] = 0.75f;
        }
        System.arraycopy(rois, 4 * 20, rois, 4 * 30, 40);
        System.arraycopy(logits, 20 * c, logits, 30 * c, 10 * c);
        System.arraycopy(deltas, 20 * per, deltas, 30 * per, 10 * per);
        return new float[][] {rois, logits, deltas};
    }

    @Test
    void fastEqualsDefinitionalOnRandomInputsWithTies() {
        Random rnd = new Random(6);
        int compared = 0;
        for (int trial = 0; trial < 12; trial++) {
            boolean agnostic = trial % 3 == 2;
            int c = 1 + rnd.nextInt(10);
            int r = 40 + rnd.nextInt(160);
            int w = 100 + rnd.nextInt(300);
            int h = 100 + rnd.nextInt(300);
            float s = 0.5f + 2 * rnd.nextFloat();
            RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params(trial % 4 == 1 ? 0.3f : 0.05f,
                    trial % 4 == 3 ? 0.7 : 0.5, trial % 2 == 0 ? 100 : 0, agnostic);
            float[][] in = randomCase(rnd, r, c, agnostic, w, h, -1f);
            List<Detection> fast = new RoiBoxPostProcessor(p, RCNN_CODER).process(in[0], in[1], in[2], c, w, h, s, s);
            assertThat(fast).as("trial %d", trial)
                    .containsExactlyElementsOf(slow(in[0], in[1], in[2], c, w, h, s, s, p, RCNN_CODER));
            compared += fast.size();
        }
        assertThat(compared).isGreaterThan(500);
    }

    @Test
    void perClassBranchAboveSplitThresholdEqualsDefinitional() {
        Random rnd = new Random(7);
        int r = 420;
        int c = 30;
        float[][] in = randomCase(rnd, r, c, false, 224, 192, 1.5f);
        RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params(0.05f, 0.5, 0, false);
        long candidates = 0;
        for (float l : in[1]) {
            candidates += 1 / (1 + Math.exp(-l)) > 0.05f ? 1 : 0;
        }
        assertThat(candidates).isGreaterThanOrEqualTo(Nms.SPLIT_THR);
        List<Detection> fast = new RoiBoxPostProcessor(p, RCNN_CODER).process(in[0], in[1], in[2], c, 224, 192, 1.2f, 1.2f);
        assertThat(fast).containsExactlyElementsOf(slow(in[0], in[1], in[2], c, 224, 192, 1.2f, 1.2f, p, RCNN_CODER));
    }

    @Test
    void tiesGoToTheLowerFlatIndex() {
        // RoI 0 and 1 overlap (IoU 0.9) with equal class-0 logits: RoI 0 survives; RoI 2 lies apart with the same
        // logits for classes 1 and 0: class 0 before class 1, both after RoI 0's class 0 and class 1
        float[] rois = {0, 0, 10, 10, 0, 0, 10, 9, 50, 50, 60, 60};
        float[] logits = {2, 2, 2, 1, 2, 2};
        float[] deltas = new float[4 * 3 * 2];
        RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params(0.05f, 0.5, 100, false);
        List<Detection> out = new RoiBoxPostProcessor(p, RCNN_CODER).process(rois, logits, deltas, 2, 100, 100, 1, 1);
        float s2 = (float) (1 / (1 + Math.exp(-2.0)));
        assertThat(out).containsExactly(
                new Detection(0, 0, 10, 10, 0, s2),
                new Detection(0, 0, 10, 10, 1, s2),
                new Detection(50, 50, 60, 60, 0, s2),
                new Detection(50, 50, 60, 60, 1, s2));
    }

    @Test
    void clipsToTheImageThenRescales() {
        float[] rois = {80, 10, 120, 50};
        float[] deltas = {5, 0, 0, 0}; // centre moves 5 × 0.1 × 40 = 20 px right, past the 110 px wide image
        RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params(0.05f, 0.5, 100, true);
        List<Detection> out = new RoiBoxPostProcessor(p, RCNN_CODER)
                .process(rois, new float[] {0, 3}, deltas, 2, 110, 100, 2f, 0.5f);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isEqualTo(new Detection(50, 20, 55, 100, 1, (float) (1 / (1 + Math.exp(-3.0)))));
        assertThat(out.get(1).label()).isZero();
    }

    @Test
    void softmaxHeadsScoreByTheSoftmaxWithoutTheBackgroundColumn() {
        // RoI 0: class 1 likely; RoI 1: background dominates, so neither class passes 0.05
        float[] rois = {0, 0, 10, 10, 30, 30, 50, 50};
        float[] logits = {0, 2, 1, -3, -3, 4};
        RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params(0.05f, 0.5, 100, false, true);
        List<Detection> out = new RoiBoxPostProcessor(p, RCNN_CODER).process(rois, logits, new float[16], 2, 100, 100, 1, 1);
        double z = Math.exp(0) + Math.exp(2) + Math.exp(1);
        assertThat(out).containsExactly(new Detection(0, 0, 10, 10, 1, (float) (Math.exp(2) / z)), new Detection(0, 0, 10, 10, 0, (float) (1 / z)));
        assertThatThrownBy(() -> new RoiBoxPostProcessor(p, RCNN_CODER).process(rois, new float[4], new float[16], 2, 100, 100, 1, 1))
                .hasMessageContaining("expected 6 logits");
    }

    @Test
    void averageLogitsIsTheFloatMeanOfRawStageLogits() {
        float[] avg = RoiBoxPostProcessor.averageLogits(List.of(new float[] {1, -2}, new float[] {2, 0},
                new float[] {0.5f, 5}));
        assertThat(avg).containsExactly((1f + 2f + 0.5f) / 3f, (-2f + 0f + 5f) / 3f);
        assertThatThrownBy(() -> RoiBoxPostProcessor.averageLogits(List.of(new float[1], new float[2])))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsMismatchedShapes() {
        RoiBoxPostProcessor post = new RoiBoxPostProcessor(RoiBoxPostProcessor.Params.rsRcnn(), RCNN_CODER);
        assertThatThrownBy(() -> post.process(new float[8], new float[6], new float[8], 3, 10, 10, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("24 deltas");
        assertThatThrownBy(() -> post.process(new float[8], new float[5], new float[24], 3, 10, 10, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] flat(Map<String, INDArray> g, String key) {
        return g.get(key).castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    @Test
    void matchesMmdetGolden() throws Exception {
        Map<String, INDArray> g =
                Nd4j.createFromNpzFile(new File(getClass().getResource("/golden/roi_post.npz").toURI()));
        double worst = 0;
        int compared = 0;
        int tieSwaps = 0;
        for (String name : List.of("specific", "agnostic", "cascade3", "truncate", "split")) {
            double[] m = g.get(name + "_meta").castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
            int c = (int) m[0];
            boolean agnostic = m[1] != 0;
            int stages = (int) m[2];
            int imgH = (int) m[3];
            int imgW = (int) m[4];
            List<float[]> stageLogits = new ArrayList<>();
            for (int s = 0; s < stages; s++) {
                stageLogits.add(flat(g, name + "_logits" + s));
            }
            float[] logits = RoiBoxPostProcessor.averageLogits(stageLogits);
            assertThat(logits).as(name).containsExactly(flat(g, name + "_avg_logits"));
            RoiBoxPostProcessor.Params p = new RoiBoxPostProcessor.Params((float) m[7], m[8], (int) m[9], agnostic);
            DeltaXywhCoder coder = new DeltaXywhCoder(m[10], m[11], m[12], m[13]);
            List<Detection> got = new RoiBoxPostProcessor(p, coder).process(flat(g, name + "_rois"), logits,
                    flat(g, name + "_deltas"), c, imgW, imgH, (float) m[5], (float) m[6]);
            float[] dets = flat(g, name + "_dets");
            float[] labels = flat(g, name + "_labels");
            assertThat(got).as(name).hasSize(labels.length);
            // torch's float32 sigmoid rounds some distinct logits near 1 to one score (and so orders them by flat
            // index) where Java's correctly rounded sigmoid is 1 ulp apart: within a run of equal golden scores
            // the detections are matched as a set
            for (int i = 0, j; i < got.size(); i = j) {
                for (j = i + 1; j < got.size() && dets[5 * j + 4] == dets[5 * i + 4]; j++) { }
                List<Integer> open = new ArrayList<>();
                for (int k = i; k < j; k++) {
                    open.add(k);
                }
                for (int k = i; k < j; k++) {
                    Detection d = got.get(k);
                    float[] box = {d.x1(), d.y1(), d.x2(), d.y2()};
                    Integer hit = open.stream().filter(o -> (int) labels[o] == d.label()
                            && Math.abs(d.score() - dets[5 * o + 4]) <= 1e-6
                            && maxDiff(box, dets, 5 * o) <= 1e-4).findFirst().orElse(null);
                    assertThat(hit).as("%s #%d %s not among golden #%d..%d", name, k, d, i, j - 1).isNotNull();
                    tieSwaps += hit != k ? 1 : 0;
                    worst = Math.max(worst, maxDiff(box, dets, 5 * hit));
                    open.remove(hit);
                }
            }
            compared += got.size();
        }
        assertThat(compared).isEqualTo(425);
        assertThat(tieSwaps).as("detections reordered within torch score ties").isLessThanOrEqualTo(4);
        System.out.printf("roi post-process golden: %d detections in order (%d swapped within torch score ties), "
                + "max |delta| %.3g%n", compared, tieSwaps, worst);
    }

    private static double maxDiff(float[] box, float[] dets, int at) {
        double m = 0;
        for (int q = 0; q < 4; q++) {
            m = Math.max(m, Math.abs(box[q] - dets[at + q]));
        }
        return m;
    }
}
