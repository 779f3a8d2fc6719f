package io.ranksort4j.detectors.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeltaXywhCoderTest {
    private final DeltaXywhCoder coder = DeltaXywhCoder.standard();

    @Test
    void decodeInvertsEncode() {
        float[] anchor = {10, 20, 42, 60};
        float[] gt = {5, 25, 50, 70};
        float[] d = new float[4];
        coder.encode(anchor, 0, gt, 0, d, 0);
        float[] back = new float[4];
        coder.decode(anchor, 0, d, 0, back, 0, 0, 0);
        for (int c = 0; c < 4; c++) {
            assertThat(back[c]).isCloseTo(gt[c], within(1e-4f));
        }
    }

    @Test
    void backwardMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        float[] anchor = {10, 20, 42, 60};
        for (int trial = 0; trial < 20; trial++) {
            float[] d = new float[4];
            float[] g = new float[4];
            for (int c = 0; c < 4; c++) {
                d[c] = (float) rnd.nextGaussian();
                g[c] = (float) rnd.nextGaussian();
            }
            float[] grad = new float[4];
            coder.backward(anchor, 0, d, 0, g, 0, grad);
            for (int c = 0; c < 4; c++) {
                double h = 1e-3;
                float[] dp = d.clone();
                float[] dm = d.clone();
                dp[c] += (float) h;
                dm[c] -= (float) h;
                double fd = (dot(anchor, dp, g) - dot(anchor, dm, g)) / (dp[c] - dm[c]);
                assertThat((double) grad[c]).as("trial %d coord %d", trial, c).isCloseTo(fd, within(1e-2 * Math.max(1, Math.abs(fd))));
            }
        }
    }

    private double dot(float[] anchor, float[] d, float[] g) {
        float[] box = new float[4];
        coder.decode(anchor, 0, d, 0, box, 0, 0, 0);
        double s = 0;
        for (int c = 0; c < 4; c++) {
            s += (double) box[c] * g[c];
        }
        return s;
    }

    @Test
    void nmsKeepsTheBestOfOverlappingBoxes() {
        float[] boxes = {0, 0, 10, 10, 1, 1, 11, 11, 20, 20, 30, 30};
        float[] scores = {0.5f, 0.9f, 0.3f};
        assertThat(Nms.run(boxes, scores, List.of(0, 1, 2), 0.5)).containsExactly(1, 2);
        assertThat(Nms.run(boxes, scores, List.of(0, 1, 2), 0.9)).containsExactly(1, 0, 2);
    }
}
