package io.ranksort4j.detectors.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The rs_atss ablation switches (model.rs) change exactly the part of the recipe they name. */
class RankSortAtssLossTest {
    private static final ComponentRegistry REGISTRY = Injection.registry(List.of());
    private static final int CLASSES = 3;
    private final Anchors anchors = new AnchorGenerator(new AnchorParams(4, 3, List.of(1.0), List.of(8, 16, 32)))
            .generate(AnchorGenerator.featureSizes(64, 64, List.of(8, 16, 32)));
    private final List<GroundTruth> gts = List.of(new GroundTruth(new float[] {12, 10, 44, 50, 2, 30, 20, 60}, new int[] {0, 2}),
            new GroundTruth(new float[] {5, 5, 60, 40}, new int[] {1}));

    private static DenseHeadLoss recipe(String type, String hocon) {
        return ((DenseBlueprint) REGISTRY.build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, "num_classes = " + CLASSES + ", " + hocon))).loss();
    }

    /** Random but fixed head outputs; with centerness when the recipe asks for it. */
    private List<HeadOutputs> outputs(boolean centerness) {
        Random rnd = new Random(7);
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
            out.add(new HeadOutputs(logits, deltas, centerness ? ctr : null));
        }
        return out;
    }

    private HeadLossResult run(String type, String hocon) {
        DenseHeadLoss loss = recipe(type, hocon);
        return loss.compute(outputs(loss.usesCenterness()), gts, anchors);
    }

    @Test
    void binaryTargetsKeepTheRankingErrorAndRemoveTheSortingError() {
        HeadLossResult rs = run("rs_atss", "");
        HeadLossResult rankOnly = run("rs_atss", "rs.targets = binary");
        assertThat(rs.terms().get("loss_sorting")).isGreaterThan(0.01);
        assertThat(rankOnly.terms().get("loss_sorting")).isZero();
        // the ranking error depends only on which anchors are positive, not on their targets' values
        assertThat(rankOnly.terms().get("loss_ranking")).isCloseTo(rs.terms().get("loss_ranking"), within(1e-9));
    }

    @Test
    void constantBalancingUsesTheBoxLossAsWeightedInsteadOfLambda() {
        HeadLossResult value = run("rs_atss", "");
        HeadLossResult constant = run("rs_atss", "rs.balance = constant, loss_bbox { type = giou, loss_weight = 2.0 }");
        assertThat(value.terms().get("loss_bbox")).isCloseTo(value.terms().get("loss_ranking") + value.terms().get("loss_sorting"), within(1e-9));
        assertThat(constant.terms().get("lambda")).isEqualTo(1.0);
        // the same GIoU, weighted by 2 instead of rescaled to L_RS
        assertThat(constant.terms().get("loss_bbox")).isCloseTo(2 * value.terms().get("loss_bbox") / value.terms().get("lambda"), within(1e-6));
    }

    @Test
    void theCenternessHeadIsAtssOwnBranchAddedToRsAtss() {
        DenseHeadLoss plain = recipe("rs_atss", "");
        DenseHeadLoss withHead = recipe("rs_atss", "rs.centerness = true");
        assertThat(plain.usesCenterness()).isFalse();
        assertThat(withHead.usesCenterness()).isTrue();
        HeadLossResult rs = withHead.compute(outputs(true), gts, anchors);
        HeadLossResult atss = run("atss", "");
        assertThat(rs.terms().get("loss_centerness")).isPositive().isEqualTo(atss.terms().get("loss_centerness"));
        int nonZero = 0;
        for (HeadGradients g : rs.grads()) {
            for (float v : g.centerness()) {
                nonZero += v != 0 ? 1 : 0;
            }
        }
        assertThat(nonZero).isEqualTo(rs.terms().get("num_pos").intValue());
    }
}
