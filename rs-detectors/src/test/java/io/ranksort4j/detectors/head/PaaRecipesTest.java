package io.ranksort4j.detectors.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.assign.GaussianMixture1d;
import io.ranksort4j.detectors.assign.PaaAssigner;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** rs_paa and paa as registered: PAA's positives feed RS-ATSS's recipe and the PAA baseline's losses. */
class PaaRecipesTest {
    private static final ComponentRegistry REGISTRY = Injection.registry(List.of());
    private static final int CLASSES = 3;
    private final Anchors anchors = new AnchorGenerator(new AnchorParams(4, 3, List.of(1.0), List.of(8, 16, 32)))
            .generate(AnchorGenerator.featureSizes(64, 64, List.of(8, 16, 32)));
    private final List<GroundTruth> gts = List.of(new GroundTruth(new float[] {12, 10, 44, 50, 2, 30, 20, 60}, new int[] {0, 2}),
            new GroundTruth(new float[] {5, 5, 60, 40}, new int[] {1}));

    private static DenseBlueprint blueprint(String type, String hocon) {
        return (DenseBlueprint) REGISTRY.build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, "num_classes = " + CLASSES + ", " + hocon));
    }

    private List<HeadOutputs> outputs(boolean branch) {
        Random rnd = new Random(11);
        int n = anchors.count();
        List<HeadOutputs> out = new ArrayList<>();
        for (int i = 0; i < gts.size(); i++) {
            float[] logits = new float[n * CLASSES];
            float[] deltas = new float[n * 4];
            float[] ctr = new float[n];
            for (int k = 0; k < logits.length; k++) {
                logits[k] = (float) (rnd.nextGaussian() - 2);
            }
            for (int k = 0; k < deltas.length; k++) {
                deltas[k] = (float) (0.3 * rnd.nextGaussian());
            }
            for (int k = 0; k < n; k++) {
                ctr[k] = (float) rnd.nextGaussian();
            }
            out.add(new HeadOutputs(logits, deltas, branch ? ctr : null));
        }
        return out;
    }

    /** The positives the PAA assigner gives each image for these outputs, counted. */
    private int paaPositives(List<HeadOutputs> outs, double boxWeight, DeltaXywhCoder coder) {
        PaaAssigner paa = new PaaAssigner(9, 0.1, 0.25, 2.0, boxWeight, GaussianMixture1d.Settings.PAA);
        int pos = 0;
        for (int i = 0; i < outs.size(); i++) {
            HeadOutputs o = outs.get(i);
            GroundTruth gt = gts.get(i);
            Assignment a = paa.assign(anchors, gt.boxes(), gt.labels(), new PaaAssigner.Predictions(o.logits(), CLASSES,
                    (k, box) -> coder.decode(anchors.boxes(), k, o.deltas(), k, box, 0, 0, 0)), 0, 0, -1);
            pos += a.numPositives();
        }
        return pos;
    }

    @Test
    void rsPaaTrainsRsAtsssRecipeOnPaasPositivesWithValueBasedLambda() {
        DenseBlueprint bp = blueprint("rs_paa", "");
        assertThat(bp.loss().usesCenterness()).isFalse();
        assertThat(bp.params().test().scoreVoting()).isTrue();
        List<HeadOutputs> outs = outputs(false);
        HeadLossResult r = bp.loss().compute(outs, gts, anchors);
        int expected = paaPositives(outs, 1.0, bp.coder());
        assertThat(expected).isPositive();
        assertThat(r.terms().get("num_pos")).isEqualTo((double) expected);
        assertThat(r.terms().get("loss_bbox")).isCloseTo(r.terms().get("loss_ranking") + r.terms().get("loss_sorting"), within(1e-9));
        // PAA's positives differ from ATSS's on the same outputs
        HeadLossResult atss = blueprint("rs_atss", "").loss().compute(outs, gts, anchors);
        assertThat(atss.terms().get("num_pos")).isNotEqualTo(r.terms().get("num_pos"));
    }

    @Test
    void paaBaselineLearnsAnIouBranchAndScoresCandidatesWithItsBoxWeight() {
        DenseBlueprint bp = blueprint("paa", "");
        assertThat(bp.loss().usesCenterness()).isTrue();
        assertThat(bp.params().test().branchScore()).isEqualTo(TestParams.BranchScore.SQRT);
        List<HeadOutputs> outs = outputs(true);
        HeadLossResult r = bp.loss().compute(outs, gts, anchors);
        assertThat(r.terms().get("num_pos")).isEqualTo((double) paaPositives(outs, 1.3, bp.coder()));
        assertThat(r.terms()).containsKeys("loss_cls", "loss_bbox", "loss_iou");
        assertThat(r.loss()).isCloseTo(r.terms().get("loss_cls") + r.terms().get("loss_bbox") + r.terms().get("loss_iou"), within(1e-9));
    }

    @Test
    void iouBranchGradientMatchesFiniteDifferences() {
        DenseHeadLoss loss = blueprint("paa", "").loss();
        List<HeadOutputs> outs = outputs(true);
        HeadLossResult r = loss.compute(outs, gts, anchors);
        float[] ctr = outs.get(0).centerness();
        int checked = 0;
        for (int a = 0; a < ctr.length && checked < 3; a++) {
            float g = r.grads().get(0).centerness()[a];
            if (g == 0) {
                continue;
            }
            float keep = ctr[a];
            double h = 1e-2;
            ctr[a] = (float) (keep + h);
            double up = loss.compute(outs, gts, anchors).loss();
            ctr[a] = (float) (keep - h);
            double down = loss.compute(outs, gts, anchors).loss();
            ctr[a] = keep;
            assertThat((up - down) / (2 * h)).as("anchor %d", a).isCloseTo(g, within(1e-3 + 1e-2 * Math.abs(g)));
            checked++;
        }
        assertThat(checked).isEqualTo(3);
    }

    @Test
    void samePaaOutputsGiveTheSameLoss() {
        DenseHeadLoss loss = blueprint("rs_paa", "").loss();
        assertThat(loss.compute(outputs(false), gts, anchors).loss()).isEqualTo(loss.compute(outputs(false), gts, anchors).loss());
    }

    @Test
    void paaAssignerWithAnotherDetectorIsAConfigErrorNamingTheKey() {
        assertThatThrownBy(() -> blueprint("rs_atss", "assigner { type = paa }")).hasStackTraceContaining("model.assigner")
                .hasStackTraceContaining("model.type = paa or rs_paa");
        assertThatThrownBy(() -> blueprint("rs_paa", "assigner { type = atss }")).hasStackTraceContaining("model.assigner.type = paa");
    }
}
