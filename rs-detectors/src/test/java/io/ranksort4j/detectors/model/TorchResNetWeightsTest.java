package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.core.weights.NpzFiles;
import io.ranksort4j.core.weights.TorchCheckpoint;
import java.io.File;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Java ResNet-18 with torchvision-named weights loaded must compute what PyTorch computes (golden file from
 * src/test/python/export_resnet.py: the same formula weights, a fixed input, torch's C3/C4/C5).
 */
class TorchResNetWeightsTest {
    @TempDir
    Path tmp;

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
        return DetectorNetwork.build(64, 64, 2, 1, new BackboneParams(18, 64, -1, "", false), new NeckParams(8, 3), new HeadParams(0, 8, 0.01, "none", 32, false, false),
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

    private static File golden(String name) throws Exception {
        return new File(TorchResNetWeightsTest.class.getResource("/golden/" + name).toURI());
    }

    private static void assertC345MatchTorch(ComputationGraph g, String goldenNpz) throws Exception {
        Map<String, INDArray> golden = Nd4j.createFromNpzFile(golden(goldenNpz));
        Map<String, INDArray> acts = g.feedForward(golden.get("input").castTo(DataType.FLOAT), false);
        for (String[] pair : new String[][] {{"c3", "layer2_1_out"}, {"c4", "layer3_1_out"}, {"c5", "layer4_1_out"}}) {
            INDArray want = golden.get(pair[0]).castTo(DataType.FLOAT);
            INDArray got = acts.get(pair[1]);
            assertThat(got.shape()).containsExactly(want.shape());
            double err = got.sub(want).amaxNumber().doubleValue() / want.amaxNumber().doubleValue();
            assertThat(err).as(pair[0]).isLessThan(1e-4);
        }
    }

    private static ComputationGraph graphW8() {
        return DetectorNetwork.build(64, 64, 2, 1, new BackboneParams(18, 8, -1, "", false), new NeckParams(8, 3), new HeadParams(0, 8, 0.01, "none", 32, false, false),
                false, new InjectedLoss(), 1, DataType.FLOAT, false).graph();
    }

    /** export_resnet.py pth: torch.save's own files, weights as strided views of one storage, float32 / float16. */
    @ParameterizedTest
    @ValueSource(strings = {"resnet18_w8_zip.pth", "resnet18_w8_legacy.pth"})
    void resnet18FromATorchWrittenPthMatchesPyTorchWithin1e4(String file) throws Exception {
        ComputationGraph g = graphW8();
        List<String> unused = TorchResNetWeights.loadPretrained(List.of(g), golden(file).getPath());
        assertThat(unused).containsExactly("fc.weight", "fc.bias");
        assertC345MatchTorch(g, "resnet18_w8_c345.npz");
    }

    @Test
    void aPthConvertedToNpzInJavaLoadsThroughTheNpzPathToTheSameFeatures() throws Exception {
        Path npz = tmp.resolve("r18.npz");
        // as `rs4j weights convert` does: floating-point tensors only (ND4J's reader rejects 0-d num_batches_tracked)
        NpzFiles.write(npz, TorchCheckpoint.read(golden("resnet18_w8_zip.pth").toPath()).tensors().stream()
                .filter(t -> t.dtype().isFloatingPoint()).toList());
        ComputationGraph g = graphW8();
        TorchResNetWeights.load(g, npz.toFile());
        assertC345MatchTorch(g, "resnet18_w8_c345.npz");
    }

    @Test
    void aMissingTorchvisionCheckpointNamesTheFetchCommand() {
        assertThatThrownBy(() -> TorchResNetWeights.loadPretrained(graphW8(), "torchvision://resnet18", tmp))
                .hasMessageContaining("./rs4j weights fetch resnet18").hasMessageContaining("resnet18-f37072fd.pth");
    }

    /** torchvision's ResNet-101 names (Bottleneck, [3, 4, 23, 3]) at base width 8, shapes from torchvision's layout. */
    static Map<String, INDArray> resnet101(int w) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("conv1.weight", Nd4j.rand(DataType.FLOAT, w, 3, 7, 7));
        bnRand(m, "bn1", w);
        int[] blocks = {3, 4, 23, 3};
        int cin = w;
        for (int s = 0; s < 4; s++) {
            int width = w << s;
            int out = width * 4;
            for (int b = 0; b < blocks[s]; b++) {
                String p = "layer" + (s + 1) + "." + b;
                int in = b == 0 ? cin : out;
                m.put(p + ".conv1.weight", Nd4j.rand(DataType.FLOAT, width, in, 1, 1));
                bnRand(m, p + ".bn1", width);
                m.put(p + ".conv2.weight", Nd4j.rand(DataType.FLOAT, width, width, 3, 3));
                bnRand(m, p + ".bn2", width);
                m.put(p + ".conv3.weight", Nd4j.rand(DataType.FLOAT, out, width, 1, 1));
                bnRand(m, p + ".bn3", out);
                if (b == 0) {
                    m.put(p + ".downsample.0.weight", Nd4j.rand(DataType.FLOAT, out, in, 1, 1));
                    bnRand(m, p + ".downsample.1", out);
                }
            }
            cin = out;
        }
        return m;
    }

    private static void bnRand(Map<String, INDArray> m, String prefix, int c) {
        for (String p : List.of("weight", "bias", "running_mean", "running_var")) {
            m.put(prefix + "." + p, Nd4j.rand(DataType.FLOAT, c));
        }
    }

    @Test
    void resnet101HasTorchvisionsBottleneckLayoutWith23BlocksInStage3() {
        ComputationGraph g = DetectorNetwork.build(64, 64, 2, 1, new BackboneParams(101, 8, -1, "", false), new NeckParams(8, 3),
                new HeadParams(0, 8, 0.01, "none", 32, false, false), false, new InjectedLoss(), 1, DataType.FLOAT, false).graph();
        Map<String, INDArray> tv = resnet101(8);
        assertThat(TorchResNetWeights.load(g, tv)).isEmpty();
        assertThat(g.paramTable()).containsKey("layer3_22_c3_W").doesNotContainKey("layer3_23_c3_W");
        assertThat(g.getParam("layer3_22_c3_W").equalsWithEps(tv.get("layer3.22.conv3.weight"), 0)).isTrue();
        assertThat(new BackboneParams(101, 64, -1, "", false).stageChannels(3)).isEqualTo(2048);
    }

    @Test
    void aWrongDepthIsNamedWithTheFix() {
        Map<String, INDArray> m = resnet18();
        m.put("layer1.0.conv1.weight", Nd4j.zeros(DataType.FLOAT, 64, 64, 1, 1));
        assertThatThrownBy(() -> TorchResNetWeights.load(graph(), m)).hasMessageContaining("layer1.0.conv1.weight → layer1_0_c1_W")
                .hasMessageContaining("backbone.depth");
    }
}
