package io.ranksort4j.detectors.roi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RoiFeaturesTest {
    private static final int[] STRIDES = {4, 8, 16, 32};

    @Test
    void levelsFollowTheFinestScaleRule() {
        RoiFeatures f = new RoiFeatures(7, 0, 56, STRIDES);
        // sqrt(area): 30 → P2, 112 → P3 (log2(2) = 1), 224 → P4, 1000 → clamped to P5
        float[] rois = {0, 0, 0, 30, 30, 0, 0, 0, 112, 112, 0, 10, 10, 234, 234, 0, 0, 0, 1000, 1000, 0, 0, 0, 111, 112};
        assertThat(f.levels(rois, 5)).containsExactly(0, 1, 2, 3, 0);
    }

    /** RoIAlign is linear in the features, so its backward is its adjoint: ⟨A x, g⟩ = ⟨x, Aᵀ g⟩ on random inputs. */
    @Test
    void backwardIsTheAdjointOfForwardOverAllLevels() {
        Random rnd = new Random(11);
        int n = 2;
        int c = 3;
        int size = 64;
        float[][] levels = new float[4][];
        int[][] hw = new int[4][];
        for (int l = 0; l < 4; l++) {
            int s = size / STRIDES[l];
            hw[l] = new int[] {s, s};
            levels[l] = new float[n * c * s * s];
            for (int i = 0; i < levels[l].length; i++) {
                levels[l][i] = (float) rnd.nextGaussian();
            }
        }
        RoiFeatures.Maps maps = new RoiFeatures.Maps(levels, n, c, hw);
        int k = 40;
        float[] rois = new float[5 * k];
        for (int r = 0; r < k; r++) {
            float x1 = rnd.nextFloat() * 50;
            float y1 = rnd.nextFloat() * 50;
            rois[5 * r] = rnd.nextInt(n);
            rois[5 * r + 1] = x1;
            rois[5 * r + 2] = y1;
            float side = (float) (2 * Math.pow(2, rnd.nextDouble() * 7)); // log-uniform 2..256: every level gets RoIs
            rois[5 * r + 3] = x1 + side;
            rois[5 * r + 4] = y1 + side * (0.5f + rnd.nextFloat());
        }
        RoiFeatures f = new RoiFeatures(5, 0, 8, STRIDES);
        float[] out = f.forward(maps, rois, k);
        float[] g = new float[out.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) rnd.nextGaussian();
        }
        float[][] grads = new float[4][];
        for (int l = 0; l < 4; l++) {
            grads[l] = new float[levels[l].length];
        }
        f.backward(maps, rois, k, g, grads);
        double lhs = 0;
        for (int i = 0; i < out.length; i++) {
            lhs += (double) out[i] * g[i];
        }
        double rhs = 0;
        for (int l = 0; l < 4; l++) {
            for (int i = 0; i < levels[l].length; i++) {
                rhs += (double) levels[l][i] * grads[l][i];
            }
        }
        assertThat(f.levels(rois, k)).contains(0, 1, 2, 3);
        assertThat(rhs).isCloseTo(lhs, org.assertj.core.data.Offset.offset(1e-3 * Math.abs(lhs) + 1e-3));
    }
}
