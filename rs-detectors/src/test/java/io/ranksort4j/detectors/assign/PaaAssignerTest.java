package io.ranksort4j.detectors.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.detectors.anchor.Anchors;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaaAssignerTest {
    /**
     * Mixture parameters against scikit-learn. Java's float32 scores can differ from torch's in the last bit, which
     * moves the fit by ~1e-7 relative; on torch's own scores the fit agrees to {@link GaussianMixture1dTest#TOL}.
     */
    static final double FIT_TOL = 1e-6;

    private record Case(Anchors anchors, float[] gt, int[] labels, PaaAssigner.Predictions pred, PaaAssigner assigner) {}

    private static Case load(int c) throws Exception {
        float[] boxes = PaaGolden.floats("anchors_" + c);
        int[] levelStart = PaaGolden.ints("level_start_" + c);
        Anchors anchors = new Anchors(boxes, levelStart, new int[levelStart.length - 1][2], 1);
        float[] logits = PaaGolden.floats("logits_" + c);
        float[] pred = PaaGolden.floats("pred_" + c);
        int n = boxes.length / 4;
        double[] meta = PaaGolden.doubles("meta_" + c);
        PaaAssigner assigner = new PaaAssigner((int) meta[1], 0.1, 0.25, 2.0, meta[0], GaussianMixture1d.Settings.PAA);
        return new Case(anchors, PaaGolden.floats("gt_" + c), PaaGolden.ints("labels_" + c),
                new PaaAssigner.Predictions(logits, logits.length / n, (a, out) -> System.arraycopy(pred, 4 * a, out, 0, 4)), assigner);
    }

    @Test
    void candidatesAreTheMaxIouAnchorsAtOneTenth() throws Exception {
        for (int c = 0; PaaGolden.has("anchors_" + c); c++) {
            Case k = load(c);
            assertThat(k.assigner().candidates(k.anchors(), k.gt(), 0, 0, -1).gtIndex()).as("case %d", c)
                    .containsExactly(PaaGolden.ints("candidates_" + c));
        }
    }

    @Test
    void candidateScoresAreFocalPlusWeightedGiouAsTheOfficialCode() throws Exception {
        for (int c = 0; PaaGolden.has("anchors_" + c); c++) {
            Case k = load(c);
            int[] cand = PaaGolden.ints("candidates_" + c);
            float[] want = PaaGolden.floats("cost_" + c);
            float[] box = new float[4];
            int n = cand.length;
            for (int a = 0; a < n; a++) {
                if (cand[a] > 0) {
                    k.pred().boxes().decode(a, box);
                    double got = k.assigner().score(k.pred().logits(), a * k.pred().classes(), k.pred().classes(), k.labels()[cand[a] - 1], box, k.gt(), 4 * (cand[a] - 1));
                    assertThat(got).as("case %d anchor %d", c, a).isCloseTo(want[a], within(2e-6 * Math.max(1, Math.abs(want[a]))));
                }
            }
        }
    }

    @Test
    void assignmentAndMixturesMatchTheOfficialRoutine() throws Exception {
        int cases = 0;
        for (int c = 0; PaaGolden.has("anchors_" + c); c++, cases++) {
            Case k = load(c);
            List<PaaAssigner.GtFit> fits = new ArrayList<>();
            Assignment got = k.assigner().assignWithFits(k.anchors(), k.gt(), k.labels(), k.pred(), 0, 0, -1, fits);
            assertThat(got.gtIndex()).as("case %d", c).containsExactly(PaaGolden.ints("assigned_" + c));
            double[] want = PaaGolden.doubles("fit_" + c);
            float[] cost = PaaGolden.floats("cost_" + c);
            assertThat(fits).hasSize(want.length / 9);
            for (int f = 0; f < fits.size(); f++) {
                GaussianMixture1d.Fit fit = fits.get(f).fit();
                double[] row = java.util.Arrays.copyOfRange(want, 9 * f, 9 * f + 9);
                assertThat(fits.get(f).gt()).isEqualTo((int) row[0]);
                double[] params = {fit.weights()[0], fit.weights()[1], fit.means()[0], fit.means()[1], fit.variances()[0], fit.variances()[1]};
                for (int q = 0; q < 6; q++) {
                    assertThat(params[q]).as("case %d gt %d parameter %d", c, f, q).isCloseTo(row[q + 1], within(FIT_TOL * Math.max(1, Math.abs(row[q + 1]))));
                }
                assertThat(fit.iterations()).as("case %d gt %d iterations", c, f).isEqualTo((int) row[7]);
                double[] torchScores = java.util.Arrays.stream(fits.get(f).anchors()).mapToDouble(a -> cost[a]).toArray();
                GaussianMixture1d.Fit exact = GaussianMixture1d.fitPaa(torchScores, GaussianMixture1d.Settings.PAA);
                double[] exactParams = {exact.weights()[0], exact.weights()[1], exact.means()[0], exact.means()[1], exact.variances()[0], exact.variances()[1]};
                for (int q = 0; q < 6; q++) {
                    assertThat(exactParams[q]).as("case %d gt %d parameter %d on torch's scores", c, f, q)
                            .isCloseTo(row[q + 1], within(GaussianMixture1dTest.TOL * Math.max(1, Math.abs(row[q + 1]))));
                }
            }
            assertThat(got.numPositives()).isPositive();
        }
        assertThat(cases).isEqualTo(3);
    }

    @Test
    void aGtWithASingleCandidateGetsNoPositive() {
        // one anchor overlaps the GT; every other anchor is far away
        float[] boxes = {0, 0, 10, 10, 100, 100, 110, 110, 200, 200, 210, 210};
        Anchors anchors = new Anchors(boxes, new int[] {0, 3}, new int[][] {{1, 3}}, 1);
        PaaAssigner assigner = new PaaAssigner(9, 0.1, 0.25, 2.0, 1.0, GaussianMixture1d.Settings.PAA);
        PaaAssigner.Predictions pred = new PaaAssigner.Predictions(new float[3], 1, (a, out) -> System.arraycopy(boxes, 4 * a, out, 0, 4));
        Assignment got = assigner.assign(anchors, new float[] {1, 1, 11, 11}, new int[] {0}, pred, 0, 0, -1);
        assertThat(got.gtIndex()).containsExactly(0, 0, 0);
    }

    @Test
    void plainAssignWithoutPredictionsIsAWiringErrorNamingTheFix() {
        PaaAssigner assigner = new PaaAssigner(9, 0.1, 0.25, 2.0, 1.0, GaussianMixture1d.Settings.PAA);
        Anchors anchors = new Anchors(new float[] {0, 0, 10, 10}, new int[] {0, 1}, new int[][] {{1, 1}}, 1);
        assertThatThrownBy(() -> assigner.assign(anchors, new float[] {0, 0, 10, 10})).hasMessageContaining("model.type = paa or rs_paa");
    }
}
