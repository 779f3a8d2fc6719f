package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** One network for every padded shape: batches padded to their own largest image, portrait and landscape alike. */
class AnyShapeTest {
    private static Detector build(String type, String hocon) {
        return Injection.registry(List.of()).build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, hocon)).build(1);
    }

    /** The toy batch zero-padded to {@code h × w}; the images keep their own (unpadded) size in targets and metas. */
    private static DetectionBatch padded(DetectionBatch b, int h, int w) {
        INDArray img = b.images();
        INDArray out = Nd4j.zeros(img.dataType(), img.size(0), img.size(1), h, w);
        out.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, img.size(2)), NDArrayIndex.interval(0, img.size(3))).assign(img);
        List<ImageMeta> metas = new ArrayList<>();
        for (ImageMeta m : b.metas()) {
            metas.add(m.withPad(w, h));
        }
        return new DetectionBatch(out, b.targets(), metas);
    }

    @Test
    void aFixedSizeConfigAndPerBatchPaddingAreTheSameNetwork() {
        DetectionBatch b = new ToyData(64, 2, 1, 3).batch(new Random(4));
        Detector fixed = build("rs_atss", TrainerTest.TINY);
        Detector any = build("rs_atss", TrainerTest.TINY.replace("input_size = [64, 64]", ""));
        HeadLossResult a = fixed.forwardBackward(b);
        HeadLossResult c = any.forwardBackward(b);
        assertThat(c.loss()).isEqualTo(a.loss());
        assertThat(any.gradient().equals(fixed.gradient())).isTrue();
    }

    @Test
    void denseDetectorTrainsOnLandscapeAndPortraitBatchesAndIgnoresAnchorsOverThePadding() {
        DenseDetector det = (DenseDetector) build("rs_atss", TrainerTest.TINY.replace("input_size = [64, 64]", ""));
        DetectionBatch square = new ToyData(64, 2, 1, 3).batch(new Random(4));
        for (int[] hw : new int[][] {{64, 128}, {160, 64}}) {
            HeadLossResult r = det.forwardBackward(padded(square, hw[0], hw[1]));
            assertThat(r.loss()).isFinite().isPositive();
            assertThat(det.gradient().norm2Number().doubleValue()).isPositive();
            boolean[] inside = det.anchors(hw[0], hw[1]).inside(64, 64, -1);
            int classes = 2;
            for (int i = 0; i < inside.length; i++) {
                if (!inside[i]) {
                    for (int c = 0; c < classes; c++) {
                        assertThat(r.grads().get(0).logits()[i * classes + c]).as("anchor %d over the padding", i).isZero();
                    }
                }
            }
            assertThat(det.detect(padded(square, hw[0], hw[1]))).hasSize(2);
        }
    }

    @Test
    void twoStageDetectorTrainsAndDetectsOnAPortraitBatch() {
        Detector det = build("rs_mask_rcnn", TwoStageTrainingTest.TINY.replace("input_size = [64, 64]", ""));
        DetectionBatch portrait = padded(new ToyData(64, 2, 1, 3).batch(new Random(4)), 128, 64);
        HeadLossResult r = det.forwardBackward(portrait);
        assertThat(r.loss()).isFinite().isPositive();
        assertThat(det.gradient().norm2Number().doubleValue()).isPositive();
        assertThat(det.detect(portrait)).hasSize(2);
    }

    @Test
    void frozenStagesRunAsAStemAndTheTrainedLayersGetTheSameGradientAsInOneGraph() {
        String hocon = TrainerTest.TINY.replace("backbone { depth = 18, base_width = 8 }", "backbone { depth = 18, base_width = 8, frozen_stages = 1, norm_eval = true }");
        DenseBlueprint bp = TrainerTest.blueprint("rs_atss", hocon);
        DenseDetector split = bp.build(1);
        DenseDetector whole = bp.build(1, false);
        assertThat(split.stem()).isNotNull();
        assertThat(whole.stem()).isNull();
        assertThat(split.params().length()).isEqualTo(whole.params().length());
        // the two were initialised in different orders: give the split one the whole one's weights, by name
        for (var net : List.of(split.graph(), split.stem().graph())) {
            net.paramTable().forEach((k, v) -> v.assign(whole.graph().getParam(k)));
        }
        DetectionBatch b = new ToyData(64, 2, 1, 3).batch(new Random(4));
        HeadLossResult a = split.forwardBackward(b);
        HeadLossResult c = whole.forwardBackward(b);
        assertThat(a.loss()).isCloseTo(c.loss(), org.assertj.core.data.Offset.offset(1e-5));
        // the detectors' gradient vectors (shared heads' copies collected into level 0), compared by name
        var refs = gradientsByName(whole);
        int compared = 0;
        for (var e : gradientsByName(split).entrySet()) {
            if (!split.graph().paramTable().containsKey(e.getKey())) {
                continue; // the stem: no gradient is kept for it
            }
            INDArray ref = refs.get(e.getKey());
            double scale = Math.max(1e-6, ref.amaxNumber().doubleValue());
            assertThat(e.getValue().sub(ref).amaxNumber().doubleValue() / scale).as(e.getKey()).isLessThan(1e-3);
            compared++;
        }
        assertThat(compared).isGreaterThan(50);
        // the stem's entries of the one vector are never stepped
        double stemMask = split.trainable().trainedMask(split.params().dataType()).get(NDArrayIndex.interval(split.graph().numParams(), split.params().length())).sumNumber().doubleValue();
        assertThat(stemMask).isZero();
    }

    private static java.util.Map<String, INDArray> gradientsByName(DenseDetector det) {
        INDArray grad = det.gradient().reshape(det.gradient().length());
        java.util.Map<String, INDArray> out = new java.util.HashMap<>();
        for (var e : det.paramLayout().entries()) {
            out.put(e.name(), grad.get(NDArrayIndex.interval(e.offset(), e.offset() + e.length())));
        }
        return out;
    }
}
