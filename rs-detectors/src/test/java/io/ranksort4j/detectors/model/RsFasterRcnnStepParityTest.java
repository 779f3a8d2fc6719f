package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.core.weights.TorchTensor;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.rcnn.TwoStageDetector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One RS-Faster R-CNN training step against the authors' code path written in PyTorch
 * ({@code src/test/python/rs_faster_rcnn_step_golden.py}): the same weights, one real COCO image and its boxes; the
 * RPN's RS loss over every anchor with GIoU and λ, all × 0.2, the training proposals (top 2000 per level, NMS 0.7,
 * 1000 kept, detached), GT boxes added as proposals, MaxIoU 0.5 on all RoIs, RoIAlign from P2–P5, and the box
 * head's RS loss over RoIs × 80 sigmoid logits with class-specific decoded GIoU and λ. Every loss term and the
 * gradient of every parameter: backbone, FPN, the RPN head shared by all levels, the box head's FC layers.
 */
class RsFasterRcnnStepParityTest {
    private static final String CONFIG = """
            num_classes = 80
            backbone { depth = 18, base_width = 8, frozen_stages = -1, norm_eval = true }
            fpn_channels = 16
            rpn { feat_channels = 16, share_levels = true }
            roi { fc_channels = 32 }
            """;

    /** Where a torch tensor lies in our flat vector: a run of one named tensor, in torch's row-major order. */
    private record Slice(String name, long from, long length) {}

    /**
     * The box head's torch tensors in our box head: DL4J keeps a dense W (n_in × n_out) column-major, which is the
     * torch Linear weight (n_out × n_in) row-major, and our last layer holds the 80 class rows, then the 320 delta rows.
     */
    private static Map<String, Slice> boxHead() {
        int fc = 32;
        Map<String, Slice> m = new LinkedHashMap<>();
        m.put("box_head.fc1_W", new Slice("box_head.0_W", 0, 16L * 7 * 7 * fc));
        m.put("box_head.fc1_b", new Slice("box_head.0_b", 0, fc));
        m.put("box_head.fc2_W", new Slice("box_head.1_W", 0, (long) fc * fc));
        m.put("box_head.fc2_b", new Slice("box_head.1_b", 0, fc));
        m.put("box_head.cls_W", new Slice("box_head.2_W", 0, 80L * fc));
        m.put("box_head.reg_W", new Slice("box_head.2_W", 80L * fc, 320L * fc));
        m.put("box_head.cls_b", new Slice("box_head.2_b", 0, 80));
        m.put("box_head.reg_b", new Slice("box_head.2_b", 80, 320));
        return m;
    }

    @Test
    void oneStepGivesTheAuthorsLossTermsAndParameterGradients() throws Exception {
        StepGolden golden = StepGolden.load("/golden/rs_faster_rcnn_step.npz");
        TwoStageDetector det = (TwoStageDetector) Injection.registry(List.of())
                .build(DetectorBlueprint.FAMILY, ComponentSpec.of("rs_faster_rcnn", CONFIG)).build(1);
        Map<String, ParamLayout.Entry> layout = det.paramLayout().byName();

        // weights: the backbone under torchvision's names, FPN and RPN (level 0 of the shared head) under ours, the
        // box head through boxHead()'s map
        Map<String, INDArray> backbone = golden.backboneWeights();
        Map<String, Slice> torchToOurs = new LinkedHashMap<>(boxHead());
        golden.tensors().forEach((k, t) -> {
            if (k.startsWith("weight.backbone.")) {
                return;
            }
            if (k.startsWith("weight.box_head.")) {
                Slice s = torchToOurs.get(k.substring("weight.".length()));
                ParamLayout.Entry e = layout.get(s.name());
                assertThat(s.from() + s.length()).as(k).isLessThanOrEqualTo(e.length());
                det.params().get(NDArrayIndex.interval(e.offset() + s.from(), e.offset() + s.from() + s.length())).assign(StepGolden.array(t).reshape(s.length()));
            } else if (k.startsWith("weight.")) {
                String ours = k.substring("weight.".length());
                INDArray p = det.trunk().getParam(ours);
                p.assign(StepGolden.array(t).reshape(p.shape()));
                torchToOurs.put(ours, new Slice(ours, 0, p.length()));
            }
        });
        assertThat(TorchResNetWeights.load(det.trunk(), backbone)).isEmpty();
        TorchResNetWeights.mapping(backbone.keySet()).forEach((torch, ours) -> torchToOurs.put("backbone." + torch,
                new Slice(ours, 0, layout.get(ours).length())));
        // every box-head value is set: the map covers its tensors exactly
        assertThat(boxHead().values().stream().mapToLong(Slice::length).sum())
                .isEqualTo(layout.values().stream().filter(e -> e.name().startsWith("box_head.")).mapToLong(ParamLayout.Entry::length).sum());

        HeadLossResult r = det.forwardBackward(new DetectionBatch(golden.image(), List.of(golden.groundTruth()), null));
        System.out.println("RS-Faster R-CNN step parity, terms: " + r.terms());

        // the sets the step is built on: RPN positives (29 only with float32 IoUs: 6 of them tie a GT's max IoU
        // exactly, which gt_max_assign_all keeps), then RoI positives (proposals at IoU >= 0.5 and the GT boxes),
        // which only equal proposals give
        assertThat(r.terms().get("rpn_num_pos")).isEqualTo(golden.scalar("loss.rpn_num_pos"));
        assertThat(r.terms().get("roi_num_pos")).isEqualTo(golden.scalar("loss.roi_num_pos"));
        // float32 on both sides, summed in different orders (oneDNN's convolutions, RoIAlign's bilinear sums, the RS
        // loss's sums over 12,276 anchors and 80 classes of 1,004 RoIs), through about 30 layers: 1e-5 of a loss and
        // 1e-4 of a gradient tensor's norm leave room for that rounding and none for a different formula, assignment,
        // proposal or layout
        double worstTerm = 0;
        for (String term : List.of("loss_rpn_ranking", "loss_rpn_sorting", "loss_rpn_bbox", "rpn_lambda",
                "loss_roi_ranking", "loss_roi_sorting", "loss_roi_bbox", "roi_lambda")) {
            double ref = golden.scalar("loss." + term);
            double err = Math.abs(r.terms().get(term) - ref) / Math.abs(ref);
            worstTerm = Math.max(worstTerm, err);
            assertThat(err).as(term + " = " + r.terms().get(term) + ", torch " + ref).isLessThan(1e-5);
        }

        INDArray grad = det.gradient().reshape(det.gradient().length());
        double worst = 0;
        String worstName = null;
        int compared = 0;
        for (Map.Entry<String, TorchTensor> e : golden.tensors().entrySet()) {
            if (!e.getKey().startsWith("grad.")) {
                continue;
            }
            String torchName = e.getKey().substring("grad.".length());
            Slice s = torchToOurs.get(torchName);
            assertThat(s).as(torchName).isNotNull();
            ParamLayout.Entry where = layout.get(s.name());
            assertThat(where).as(torchName + " → " + s.name()).isNotNull();
            long from = where.offset() + s.from();
            INDArray g = grad.get(NDArrayIndex.interval(from, from + s.length()));
            INDArray ref = StepGolden.array(e.getValue()).reshape(g.length());
            double norm = ref.norm2Number().doubleValue();
            assertThat(norm).as(torchName + " has a gradient in torch").isPositive();
            double err = g.sub(ref).norm2Number().doubleValue() / norm;
            if (err > worst) {
                worst = err;
                worstName = torchName;
            }
            compared++;
        }
        System.out.printf("RS-Faster R-CNN step parity: terms within %.2e; %d parameter gradients, worst relative error %.2e (%s)%n",
                worstTerm, compared, worst, worstName);
        // backbone (60), FPN (16), the shared RPN head (6), box head (8): none may go unchecked
        assertThat(compared).isEqualTo(90);
        assertThat(worst).as(worstName).isLessThan(1e-4);
    }
}
