package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java ResNet-18 with torchvision-named weights loaded must compute what PyTorch computes (golden file from
 * src/test/python/export_resnet.py: the same formula weights, a fixed input, torch's C3/C4/C5).
 */
class TorchResNetWeightsTest {

    static double[] uniform(String name, int n) {
        long base = name.hashCode();
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            long x = base + i + 0x9E3779B97F4A7C15L;
            x = (x ^ (x >>> 30)) * 0xBF58476D1CE4E5B9L;
            x = (x ^ (x >>> 27)) * 0x94D049BB133111EBL;
            x = x ^ (x >>> 31);
            u[i] = (x >>> 11) * 0x1.0p-53 - 0.5;
        }
        return u;
    }

    /** export_resnet.py's fill(): the same values for the same torchvision name and shape. */
    static INDArray fill(String name, long... shape) {
        int n = 1;
        for (long s : shape) {
            n *= (int) s;
        }
        double[] u = uniform(name, n);
        String last = name.substring(name.lastIndexOf('.') + 1);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double x = switch (last) {
                case "running_var" -> 1.0 + u[i];
                case "running_mean", "bias" -> 0.2 * u[i];
                default -> shape.length == 1 ? 1.0 + 0.4 * u[i] : u[i] * (2.0 * Math.sqrt(6.0 / (n / shape[0])));
            };
            v[i] = (float) x;
        }
        return Nd4j.create(v, shape, 'c');
    }

    private static void bn(Map<String, INDArray> m, String prefix, int c) {
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
            m.put(prefix + "." + p, fill(prefix + "." + p, c));
        }
    }

    static Map<String, INDArray> resnet18() {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("conv1.weight", fill("conv1.weight", 64, 3, 7, 7));
        bn(m, "bn1", 64);
        int cin = 64;
        for (int s = 0; s < 4; s++) {
            int c = 64 << s;
            for (int b = 0; b < 2; b++) {
                String p = "layer" + (s + 1) + "." + b;
                int in = b == 0 ? cin : c;
                m.put(p + ".conv1.weight", fill(p + ".conv1.weight", c, in, 3, 3));
                bn(m, p + ".bn1", c);
                m.put(p + ".conv2.weight", fill(p + ".conv2.weight", c, c, 3, 3));
                bn(m, p + ".bn2", c);
                if (b == 0 && s > 0) {
                    m.put(p + ".downsample.0.weight", fill(p + ".downsample.0.weight", c, in, 1, 1));
                    bn(m, p + ".downsample.1", c);
                }
            }
            cin = c;
        }
        m.put("fc.weight", fill("fc.weight", 1000, 512));
        return m;
    }

    private static ComputationGraph graph() {
        return DetectorNetwork.build(64, 64, 2, 1, new BackboneParams(18, 64, -1, "", false), new NeckParams(8, 3), new HeadParams(0, 8, 0.01, "none"),
                false, new InjectedLoss(), 1, DataType.FLOAT, false).graph();
    }

    @Test
    void resnet18WithTorchvisionNamesMatchesPyTorchWithin1e4() throws Exception {
        ComputationGraph g = graph();
        List<String> unused = TorchResNetWeights.load(g, resnet18());
        assertThat(unused).containsExactly("fc.weight");
        Map<String, INDArray> golden = Nd4j.createFromNpzFile(new File(getClass().getResource("/golden/resnet18_c345.npz").toURI()));
        Map<String, INDArray> acts = g.feedForward(golden.get("input").castTo(DataType.FLOAT), false);
        for (String[] pair : new String[][] {{"c3", "layer2_1_out"}, {"c4", "layer3_1_out"}, {"c5", "layer4_1_out"}}) {
            INDArray want = golden.get(pair[0]).castTo(DataType.FLOAT);
            INDArray got = acts.get(pair[1]);
            assertThat(got.shape()).containsExactly(want.shape());
            double scale = want.amaxNumber().doubleValue();
            double err = got.sub(want).amaxNumber().doubleValue() / scale;
            assertThat(err).as(pair[0]).isLessThan(1e-4);
        }
    }

    @Test
    void aWrongDepthIsNamedWithTheFix() {
        Map<String, INDArray> m = resnet18();
        m.put("layer1.0.conv1.weight", Nd4j.zeros(DataType.FLOAT, 64, 64, 1, 1));
        assertThatThrownBy(() -> TorchResNetWeights.load(graph(), m)).hasMessageContaining("layer1.0.conv1.weight → layer1_0_c1_W")
                .hasMessageContaining("backbone.depth");
    }
}
