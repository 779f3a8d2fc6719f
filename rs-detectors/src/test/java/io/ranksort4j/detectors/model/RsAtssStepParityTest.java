package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.core.weights.TorchTensor;
import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One RS-ATSS training step against the authors' code path written in PyTorch
 * ({@code src/test/python/rs_atss_step_golden.py}): the same weights, one real COCO image and its boxes, the
 * authors' head structure (GroupNorm towers shared by every level, a Scale per level); every loss term and the
 * gradient of every parameter.
 */
class RsAtssStepParityTest {
    private static final String CONFIG = """
            num_classes = 80
            backbone { depth = 18, base_width = 8, frozen_stages = -1, norm_eval = true }
            neck { out_channels = 16, num_outs = 5 }
            head { stacked_convs = 2, feat_channels = 16, norm = group, norm_groups = 4, share_levels = true, level_scale = true }
            anchor { octave_base_scale = 4, scales_per_octave = 3, ratios = [1.0], strides = [8, 16, 32, 64, 128] }
            assigner { type = atss, topk = 9 }
            loss_cls { type = rank_sort, delta = 0.5 }
            loss_bbox { type = giou }
            """;

    @Test
    void oneStepGivesTheAuthorsLossTermsAndParameterGradients() throws Exception {
        StepGolden golden = StepGolden.load("/golden/rs_atss_step.npz");
        DenseDetector det = (DenseDetector) Injection.registry(List.of()).build(DetectorBlueprint.FAMILY, ComponentSpec.of("rs_atss", CONFIG)).build(1);

        // weights: the backbone under torchvision's names, the rest under ours (level 0 of the shared head)
        Map<String, INDArray> backbone = golden.backboneWeights();
        Map<String, String> torchToOurs = new LinkedHashMap<>();
        golden.tensors().forEach((k, t) -> {
            if (k.startsWith("weight.") && !k.startsWith("weight.backbone.")) {
                String ours = k.substring("weight.".length());
                det.graph().getParam(ours).assign(StepGolden.array(t).reshape(det.graph().getParam(ours).shape()));
                torchToOurs.put(ours, ours);
            }
        });
        assertThat(TorchResNetWeights.load(det.graph(), backbone)).isEmpty();
        TorchResNetWeights.mapping(backbone.keySet()).forEach(torchToOurs::put);

        HeadLossResult r = det.forwardBackward(golden.image(), List.of(golden.groundTruth()));

        // float32 on both sides, summed in different orders (oneDNN's convolutions, the RS loss's sums over
        // 245,760 logits), through about 30 layers: 1e-5 of a loss and 1e-4 of a gradient tensor's norm leave room
        // for that rounding and none for a different formula, assignment or layout
        System.out.println("RS-ATSS step parity, terms: " + r.terms());
        assertThat(r.terms().get("num_pos")).isEqualTo(golden.scalar("loss.num_pos"));
        Map<String, String> terms = Map.of("loss_ranking", "loss.rank", "loss_sorting", "loss.sort", "loss_bbox", "loss.bbox", "lambda", "loss.lambda");
        terms.forEach((ours, theirs) -> {
            double ref = golden.scalar(theirs);
            assertThat(Math.abs(r.terms().get(ours) - ref) / Math.abs(ref)).as(ours + " = " + r.terms().get(ours) + ", torch " + ref).isLessThan(1e-5);
        });

        INDArray grad = det.gradient().reshape(det.gradient().length());
        Map<String, ParamLayout.Entry> layout = det.paramLayout().byName();
        double worst = 0;
        String worstName = null;
        int compared = 0;
        for (Map.Entry<String, TorchTensor> e : golden.tensors().entrySet()) {
            if (!e.getKey().startsWith("grad.")) {
                continue;
            }
            String torchName = e.getKey().substring("grad.".length());
            String ours = torchToOurs.get(torchName.startsWith("backbone.") ? torchName.substring("backbone.".length()) : torchName);
            ParamLayout.Entry where = layout.get(ours);
            assertThat(where).as(torchName + " → " + ours).isNotNull();
            INDArray g = grad.get(NDArrayIndex.interval(where.offset(), where.offset() + where.length()));
            INDArray ref = StepGolden.array(e.getValue()).reshape(g.length());
            double norm = ref.norm2Number().doubleValue();
            // a level without positives leaves its Scale without gradient: ours must be zero too
            double err = g.sub(ref).norm2Number().doubleValue() / (norm > 0 ? norm : 1);
            if (err > worst) {
                worst = err;
                worstName = torchName;
            }
            compared++;
        }
        System.out.printf("RS-ATSS step parity: %d parameter gradients, worst relative error %.2e (%s)%n", compared, worst, worstName);
        assertThat(compared).isGreaterThan(70);
        assertThat(worst).as(worstName).isLessThan(1e-4);
    }
}
