package io.ranksort4j.detectors.rcnn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class HeadNetTest {
    /** Finite differences of L = Σ r·output w.r.t. a few inputs, against the external-error backward. */
    private static void checkInputGradient(HeadNet net, int k, int perRoi, long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[k * perRoi];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        float[] out = net.forward(x, k);
        float[] r = new float[out.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (float) rnd.nextGaussian();
        }
        float[] g = net.backward(r, k);
        assertThat(net.gradient()).isNotNull();
        for (int t = 0; t < 12; t++) {
            int i = rnd.nextInt(x.length);
            double h = 1e-3;
            float[] xp = x.clone();
            float[] xm = x.clone();
            xp[i] += (float) h;
            xm[i] -= (float) h;
            double numeric = (dot(net.output(xp, k), r) - dot(net.output(xm, k), r)) / (xp[i] - xm[i]);
            assertThat(g[i]).as("input %d", i).isCloseTo((float) numeric, org.assertj.core.data.Offset.offset((float) (1e-4 + 1e-3 * Math.abs(numeric))));
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Test
    void boxHeadBackwardGivesThePooledFeaturesGradient() {
        checkInputGradient(HeadNet.box(3, 4, 8, 2, false, false, 1, DataType.DOUBLE), 5, 3 * 4 * 4, 2);
    }

    @Test
    void maskHeadBackwardGivesThePooledFeaturesGradient() {
        checkInputGradient(HeadNet.mask(3, 4, 2, 4, 2, 1, DataType.DOUBLE), 3, 3 * 4 * 4, 3);
    }

    @Test
    void boxHeadStartsAtZeroBiasAndSmallOutputs() {
        HeadNet net = HeadNet.box(4, 7, 32, 3, false, false, 7, DataType.FLOAT);
        float[] out = net.output(new float[2 * 4 * 49], 2);
        assertThat(out).hasSize(2 * (3 + 12)).containsOnly(0f);
    }
}
