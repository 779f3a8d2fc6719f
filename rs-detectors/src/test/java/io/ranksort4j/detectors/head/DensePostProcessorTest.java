package io.ranksort4j.detectors.head;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PAA's test-time parts of the dense pipeline: score voting and the √(score · IoU) branch score. */
class DensePostProcessorTest {
    // A and B overlap (IoU 9/11), C stands alone; zero deltas decode to the anchors themselves
    private final Anchors anchors = new Anchors(new float[] {0, 0, 10, 10, 1, 0, 11, 10, 50, 50, 60, 60}, new int[] {0, 3}, new int[][] {{1, 3}}, 1);
    private final DeltaXywhCoder coder = new DeltaXywhCoder(new double[] {0.1, 0.1, 0.2, 0.2});
    private final float[] logits = {3, 2, 1};

    private List<Detection> run(boolean voting, TestParams.BranchScore branch, float[] ctr) {
        return new DensePostProcessor(new TestParams(1000, 0.05, 0.6, 100, voting, branch), coder)
                .detect(new HeadOutputs(logits, new float[12], ctr), anchors, 100, 100, 1.0);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void scoreVotingMovesAKeptBoxToTheScoreAndIouWeightedMeanOfItsClassCandidates() {
        List<Detection> plain = run(false, TestParams.BranchScore.PRODUCT, null);
        List<Detection> voted = run(true, TestParams.BranchScore.PRODUCT, null);
        assertThat(plain).hasSize(2);
        assertThat(voted).hasSize(2);
        assertThat(plain.get(0).x1()).isEqualTo(0f);
        double iou = 90.0 / 110.0;
        double wa = sigmoid(3);
        double wb = Math.exp(-(1 - iou) * (1 - iou) / 0.025) * sigmoid(2);
        Detection a = voted.get(0);
        assertThat((double) a.x1()).isCloseTo(wb / (wa + wb), within(1e-5));
        assertThat((double) a.x2()).isCloseTo(10 + wb / (wa + wb), within(1e-5));
        assertThat(a.score()).isEqualTo(plain.get(0).score());
        // a box with no overlapping candidate keeps its place
        assertThat(voted.get(1).x1()).isEqualTo(50f);
    }

    @Test
    void sqrtBranchScoreIsTheGeometricMeanOfClassScoreAndPredictedIou() {
        float[] ctr = {0, 0, 0};
        List<Detection> product = run(false, TestParams.BranchScore.PRODUCT, ctr);
        List<Detection> sqrt = run(false, TestParams.BranchScore.SQRT, ctr);
        assertThat((double) product.get(0).score()).isCloseTo(sigmoid(3) * 0.5, within(1e-6));
        assertThat((double) sqrt.get(0).score()).isCloseTo(Math.sqrt(sigmoid(3) * 0.5), within(1e-6));
    }
}
