package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import io.ranksort4j.detectors.model.ImageDetections;
import io.ranksort4j.detectors.model.Sgd;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TwoStageTrainingTest {
    static final String TINY = """
            num_classes = 2
            input_size = [64, 64]
            backbone { depth = 18, base_width = 8 }
            fpn_channels = 8
            rpn { feat_channels = 8, train_proposals { nms_pre = 200, max_per_img = 50 }, test_proposals { nms_pre = 200, max_per_img = 50 } }
            roi { fc_channels = 16 }
            mask { convs = 1, channels = 8, roi_size = 7, max_masks = 6 }
            """;

    static Detector build(String type, String extra, long seed) {
        return Injection.registry(List.of()).build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, TINY + extra)).build(seed);
    }

    /** Plain SGD steps over {@code batches} toy batches, cycled; returns each step's loss. */
    private static List<Double> train(Detector det, int iters, int batches) {
        ScheduleParams sched = ParamsBinder.bindOrThrow(ScheduleParams.class, ConfigFactory.parseString(
                "lr = 0.02, warmup_iters = 5, policy = fixed, max_iters = " + iters), "schedule");
        Sgd sgd = Trainer.sgd(det, sched);
        ToyData data = new ToyData(64, 2, batches, 3);
        List<Double> losses = new ArrayList<>();
        Iterator<DetectionBatch> it = data.epoch(0, 0);
        for (int i = 0; i < iters; i++) {
            if (!it.hasNext()) {
                it = data.epoch(0, 0);
            }
            HeadLossResult r = det.forwardBackward(it.next());
            assertThat(r.loss()).isFinite();
            sgd.step(det.params(), det.gradient(), 0.02 * Math.min(1, (i + 1) / 5.0));
            losses.add(r.loss());
        }
        return losses;
    }

    @Test
    void rsMaskRcnnFitsABatchThroughEveryPart() {
        Detector det = build("rs_mask_rcnn", "", 1);
        // one batch again and again: only a correct gradient path through heads, RoIAlign and trunk drives it down
        List<Double> losses = train(det, 40, 1);
        assertThat(losses.get(39)).isLessThan(0.6 * losses.get(0));
        List<ImageDetections> dets = det.detect(new ToyData(64, 2, 1, 9).epoch(0, 0).next());
        assertThat(dets).hasSize(2);
        for (ImageDetections d : dets) {
            assertThat(d.masks()).hasSameSizeAs(d.boxes());
            assertThat(d.maskSize()).isEqualTo(14);
        }
    }

    @Test
    void maskRcnnBaselineTrainsOnSamplesWithSoftmaxAndBce() {
        Detector det = build("mask_rcnn", "loss_cls { type = cross_entropy, classes = 3 }, rpn.sampler.num = 64, roi.sampler.num = 32", 1);
        HeadLossResult first = det.forwardBackward(new ToyData(64, 2, 1, 3).epoch(0, 0).next());
        assertThat(first.terms()).containsKeys("loss_rpn_cls", "loss_rpn_bbox", "loss_roi_cls", "loss_roi_bbox", "loss_mask")
                .doesNotContainKeys("loss_roi_ranking", "mask_lambda");
        // softmax over 3 classes at initialisation (logits ≈ 0): cross-entropy ≈ ln 3
        assertThat(first.terms().get("loss_roi_cls")).isCloseTo(Math.log(3), org.assertj.core.data.Offset.offset(0.05));
        List<Double> losses = train(det, 40, 1);
        assertThat(losses.get(39)).isLessThan(0.6 * losses.get(0));
        List<ImageDetections> dets = det.detect(new ToyData(64, 2, 1, 9).epoch(0, 0).next());
        assertThat(dets).hasSize(2);
        assertThat(dets.get(0).masks()).hasSameSizeAs(dets.get(0).boxes());
    }

    @Test
    void aSoftmaxHeadWithoutSamplerOrWithTheWrongClassCountIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> build("faster_rcnn", "", 1))
                .hasStackTraceContaining("set model.loss_cls = { type = cross_entropy, classes = 3 }");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> build("faster_rcnn", "loss_cls { type = cross_entropy, classes = 3 }, roi.sampler.num = 0", 1))
                .hasStackTraceContaining("needs a RoI sampler");
    }

    @Test
    void sameSeedSameNumbers() {
        List<Double> a = train(build("rs_faster_rcnn", "", 4), 3, 3);
        List<Double> b = train(build("rs_faster_rcnn", "", 4), 3, 3);
        assertThat(a).isEqualTo(b);
    }

    @Test
    void cascadeTrainsThreeStagesAndDetects() {
        Detector det = build("rs_cascade_rcnn", "", 2);
        DetectionBatch b = new ToyData(64, 2, 1, 5).epoch(0, 0).next();
        HeadLossResult r = det.forwardBackward(b);
        assertThat(r.terms()).containsKeys("loss_s0_ranking", "loss_s1_ranking", "loss_s2_ranking", "loss_s2_bbox", "loss_rpn_ranking");
        assertThat(det.gradient().norm2Number().doubleValue()).isPositive();
        assertThat(det.detect(b)).hasSize(2);
    }
}
