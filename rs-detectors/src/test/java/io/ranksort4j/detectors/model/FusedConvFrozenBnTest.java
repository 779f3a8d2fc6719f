package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class FusedConvFrozenBnTest {

    /** A conv of the chain: name, output channels, kernel, stride, ReLU after the norm. */
    private record Spec(String name, int nOut, int k, int s, boolean relu) {}

    // odd-sized maps, strides 2 and 1, 7×7 / 3×3 / 1×1 kernels, with and without the ReLU: what the backbone builds
    private static final List<Spec> CHAIN = List.of(new Spec("a", 8, 7, 2, true), new Spec("b", 6, 1, 1, false),
            new Spec("c", 5, 3, 1, true), new Spec("d", 4, 3, 2, true), new Spec("e", 3, 1, 2, false));

    /** The chain as conv → FrozenStatsBatchNorm → ReLU layers, or as fused layers; workspaces on as in training. */
    private static ComputationGraph chain(boolean fused, DataType dt) {
        var gb = DetectorNetwork.graphBuilder(3, dt, InputType.convolutional(17, 19, 3));
        String x = "image";
        for (Spec c : CHAIN) {
            if (fused) {
                gb.addLayer(c.name(), new FusedConvFrozenBn(c.nOut(), c.k(), c.s(), c.k() / 2, c.relu()), x);
                x = c.name();
                continue;
            }
            gb.addLayer(c.name(), new ConvolutionLayer.Builder(c.k(), c.k()).stride(c.s(), c.s()).padding(c.k() / 2, c.k() / 2)
                    .nOut(c.nOut()).hasBias(false).activation(Activation.IDENTITY).build(), x);
            gb.addLayer(c.name() + "_bn", FrozenStatsBatchNorm.of(new BatchNormalization.Builder().eps(1e-5).useLogStd(false).build()), c.name());
            x = c.name() + "_bn";
            if (c.relu()) {
                gb.addLayer(c.name() + "_relu", new ActivationLayer(Activation.RELU), x);
                x = c.name() + "_relu";
            }
        }
        gb.addLayer("loss", new CnnLossLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY).build(), x);
        gb.setOutputs("loss");
        ComputationGraph g = new ComputationGraph(gb.build());
        g.init();
        return g;
    }

    /** Statistics and affine far from identity, and one γ exactly zero (the fused backward must not divide by γ). */
    private static void randomiseNorms(ComputationGraph g, long seed) {
        Nd4j.getRandom().setSeed(seed);
        for (Map.Entry<String, INDArray> e : new TreeMap<>(g.paramTable()).entrySet()) {
            INDArray v = e.getValue();
            DataType dt = v.dataType();
            if (e.getKey().endsWith("_bn_mean")) {
                v.assign(Nd4j.rand(dt, v.shape()).subi(0.5));
            } else if (e.getKey().endsWith("_bn_var")) {
                v.assign(Nd4j.rand(dt, v.shape()).addi(0.5));
            } else if (e.getKey().endsWith("_bn_gamma")) {
                v.assign(Nd4j.rand(dt, v.shape()).addi(0.5));
                v.putScalar(0, 0.0);
            } else if (e.getKey().endsWith("_bn_beta")) {
                v.assign(Nd4j.rand(dt, v.shape()).subi(0.5));
            }
        }
    }

    /** Copies every parameter by its key; both graphs must have exactly the same keys and shapes. */
    private static void copyByKey(ComputationGraph from, ComputationGraph to) {
        assertThat(to.paramTable().keySet()).containsExactlyInAnyOrderElementsOf(from.paramTable().keySet());
        from.paramTable().forEach((k, v) -> {
            assertThat(to.paramTable().get(k).shape()).as(k).containsExactly(v.shape());
            to.paramTable().get(k).assign(v);
        });
    }

    private static double relErr(INDArray a, INDArray b) {
        INDArray d = a.castTo(DataType.DOUBLE);
        INDArray w = b.castTo(DataType.DOUBLE).reshape(d.shape());
        return d.sub(w).amaxNumber().doubleValue() / Math.max(1e-30, w.amaxNumber().doubleValue());
    }

    /** Output and every parameter gradient of the fused chain against the three-layer chain, on two different inputs. */
    private static double[] compareChains(DataType dt) {
        ComputationGraph plain = chain(false, dt);
        randomiseNorms(plain, 5);
        ComputationGraph fused = chain(true, dt);
        copyByKey(plain, fused);
        double worstY = 0;
        double worstG = 0;
        // two inputs in turn: the second backward must not use the first forward's remembered output
        for (long seed : new long[] {1, 2}) {
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.randn(dt, 2, 3, 17, 19);
            INDArray yPlain = plain.outputSingle(true, x);
            INDArray yFused = fused.outputSingle(true, x);
            assertThat(yFused.shape()).containsExactly(yPlain.shape());
            worstY = Math.max(worstY, relErr(yFused, yPlain));
            INDArray labels = Nd4j.randn(dt, yPlain.shape());
            Map<String, INDArray> gp = gradients(plain, x, labels);
            Map<String, INDArray> gf = gradients(fused, x, labels);
            assertThat(gf.keySet()).containsExactlyInAnyOrderElementsOf(gp.keySet());
            for (String k : gp.keySet()) {
                if (TrainableParams.isRunningStatistic(k)) {
                    assertThat(gf.get(k).amaxNumber().doubleValue()).as(k).isZero();
                    continue;
                }
                assertThat(gp.get(k).amaxNumber().doubleValue()).as(k + " has a gradient to compare").isGreaterThan(1e-6);
                worstG = Math.max(worstG, relErr(gf.get(k), gp.get(k)));
            }
            // the zero γ: its β and the conv weights behind it get no gradient, its own γ does
            assertThat(gf.get("c_bn_gamma").getDouble(0)).isNotZero();
        }
        for (String name : new String[] {"a", "c", "d"}) {
            assertThat(((FusedConvFrozenBn.Impl) fused.getLayer(name)).recomputes).as(name + ": backward read the kept output").isZero();
        }
        return new double[] {worstY, worstG};
    }

    private static Map<String, INDArray> gradients(ComputationGraph g, INDArray x, INDArray labels) {
        g.setInputs(x);
        g.setLabels(labels);
        g.computeGradientAndScore();
        Map<String, INDArray> out = new TreeMap<>();
        g.gradient().gradientForVariable().forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    @Test
    void theFusedChainComputesWhatConvFrozenBatchNormReluComputesInDouble() {
        double[] e = compareChains(DataType.DOUBLE);
        System.out.printf("FusedConvFrozenBn vs conv+BN+ReLU (double, workspaces on): output %.2e, gradients %.2e (max |Δ| / max |ref|)%n", e[0], e[1]);
        assertThat(e[0]).isLessThan(1e-12);
        assertThat(e[1]).isLessThan(1e-11);
    }

    @Test
    void theFusedChainComputesWhatConvFrozenBatchNormReluComputesInFloat() {
        double[] e = compareChains(DataType.FLOAT);
        System.out.printf("FusedConvFrozenBn vs conv+BN+ReLU (float, workspaces on): output %.2e, gradients %.2e (max |Δ| / max |ref|)%n", e[0], e[1]);
        // folding s into the weights rounds differently from scaling the conv's output: float rounding, nothing more
        assertThat(e[0]).isLessThan(1e-5);
        assertThat(e[1]).isLessThan(1e-4);
    }

    /** One fused layer outside any graph, for the finite-difference check of its input gradient. */
    private static Layer single(Spec c, long nIn, DataType dt) {
        FusedConvFrozenBn conf = new FusedConvFrozenBn(c.nOut(), c.k(), c.s(), c.k() / 2, c.relu());
        conf.setNIn(InputType.convolutional(9, 8, nIn), true);
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(dt).weightInit(org.deeplearning4j.nn.weights.WeightInit.RELU)
                .layer(conf).build();
        long n = FusedConvFrozenBn.Params.INSTANCE.numParams(conf);
        Layer l = nnc.getLayer().instantiate(nnc, List.of(), 0, Nd4j.create(dt, 1, n), true, dt);
        l.setBackpropGradientsViewArray(Nd4j.create(dt, 1, n));
        Nd4j.getRandom().setSeed(8);
        l.getParam(FusedConvFrozenBn.GAMMA).assign(Nd4j.rand(dt, c.nOut()).addi(0.5));
        l.getParam(FusedConvFrozenBn.BETA).assign(Nd4j.rand(dt, c.nOut()).subi(0.5));
        l.getParam(FusedConvFrozenBn.MEAN).assign(Nd4j.rand(dt, c.nOut()).subi(0.5));
        l.getParam(FusedConvFrozenBn.VAR).assign(Nd4j.rand(dt, c.nOut()).addi(0.5));
        return l;
    }

    private static double lossOf(Layer l, INDArray x, INDArray dy) {
        l.setInput(x, LayerWorkspaceMgr.noWorkspaces());
        return l.activate(true, LayerWorkspaceMgr.noWorkspaces()).mul(dy).sumNumber().doubleValue();
    }

    @Test
    void inputAndParameterGradientsMatchCentralFiniteDifferencesInDouble() {
        for (Spec c : List.of(new Spec("relu3x3s2", 4, 3, 2, true), new Spec("lin1x1", 3, 1, 1, false))) {
            Layer l = single(c, 3, DataType.DOUBLE);
            Nd4j.getRandom().setSeed(4);
            INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 9, 8);
            l.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            INDArray dy = Nd4j.randn(DataType.DOUBLE, l.activate(true, LayerWorkspaceMgr.noWorkspaces()).shape());
            Pair<Gradient, INDArray> an = l.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
            INDArray dx = an.getSecond().dup();
            Map<String, INDArray> dp = new TreeMap<>();
            an.getFirst().gradientForVariable().forEach((k, v) -> dp.put(k, v.dup()));

            double h = 1e-6;
            double worst = 0;
            INDArray flatX = x.reshape(x.length());
            for (long i = 0; i < x.length(); i += 7) {
                double v = flatX.getDouble(i);
                flatX.putScalar(i, v + h);
                double up = lossOf(l, x, dy);
                flatX.putScalar(i, v - h);
                double down = lossOf(l, x, dy);
                flatX.putScalar(i, v);
                double fd = (up - down) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - dx.reshape(x.length()).getDouble(i)) / Math.max(1, Math.abs(fd)));
            }
            for (String key : List.of(FusedConvFrozenBn.WEIGHT, FusedConvFrozenBn.GAMMA, FusedConvFrozenBn.BETA)) {
                INDArray p = l.getParam(key);
                INDArray flat = p.reshape(p.length());
                for (long i = 0; i < p.length(); i += 3) {
                    double v = flat.getDouble(i);
                    flat.putScalar(i, v + h);
                    double up = lossOf(l, x, dy);
                    flat.putScalar(i, v - h);
                    double down = lossOf(l, x, dy);
                    flat.putScalar(i, v);
                    double fd = (up - down) / (2 * h);
                    worst = Math.max(worst, Math.abs(fd - dp.get(key).reshape(p.length()).getDouble(i)) / Math.max(1, Math.abs(fd)));
                }
            }
            System.out.printf("FusedConvFrozenBn %s finite differences (double): worst relative error %.2e%n", c.name(), worst);
            assertThat(worst).as(c.name()).isLessThan(1e-7);
            assertThat(dp.get(FusedConvFrozenBn.MEAN).amaxNumber().doubleValue()).isZero();
            assertThat(dp.get(FusedConvFrozenBn.VAR).amaxNumber().doubleValue()).isZero();
        }
    }

    @Test
    void backwardWithoutItsForwardRecomputesTheOutputInsteadOfReadingAStaleOne() {
        Spec c = new Spec("relu", 4, 3, 1, true);
        Layer l = single(c, 3, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(6);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 2, 3, 9, 8);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 2, 3, 9, 8);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, 2, 4, 9, 8);
        l.setInput(x2, LayerWorkspaceMgr.noWorkspaces());
        l.activate(true, LayerWorkspaceMgr.noWorkspaces());
        INDArray want = l.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces()).getSecond().dup();
        assertThat(((FusedConvFrozenBn.Impl) l).recomputes).isZero();
        // forward on x1, then backward on x2 alone: x1's ReLU mask would be wrong
        l.setInput(x1, LayerWorkspaceMgr.noWorkspaces());
        l.activate(true, LayerWorkspaceMgr.noWorkspaces());
        l.setInput(x2, LayerWorkspaceMgr.noWorkspaces());
        INDArray got = l.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces()).getSecond();
        assertThat(((FusedConvFrozenBn.Impl) l).recomputes).isEqualTo(1);
        assertThat(relErr(got, want)).isZero();
    }

    /** A tiny detector whose backbone has frozen-statistics batch norm, fused or not. */
    private static DetectorNetwork.Built detector(int depth, boolean fused) {
        return DetectorNetwork.build(64, 64, 3, 1, new BackboneParams(depth, 8, -1, "", true, fused), new NeckParams(8, 3),
                new HeadParams(1, 8, 0.01, "none", 32, false, false), false, new InjectedLoss(), 7, DataType.DOUBLE, false);
    }

    private static Map<String, INDArray> injectedGradients(ComputationGraph g, INDArray x, double[][] w) {
        InjectedLoss bridge = (InjectedLoss) ((org.deeplearning4j.nn.conf.layers.LossLayer) g.getOutputLayer(0).conf().getLayer()).getLossFn();
        bridge.begin(rows -> {
            float[][] grad = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                grad[i] = new float[rows[i].length];
                for (int j = 0; j < rows[i].length; j++) {
                    grad[i][j] = (float) w[i][j];
                }
            }
            return new InjectedLoss.Result(0, grad);
        });
        return gradients(g, x, Nd4j.zeros(DataType.DOUBLE, 2, w[0].length));
    }

    @Test
    void aFusedNormEvalBackboneHasTheSameParameterNamesOutputAndGradientsAsTheUnfusedOne() {
        for (int depth : new int[] {18, 50}) {
            ComputationGraph plain = detector(depth, false).graph();
            randomiseNorms(plain, 11);
            ComputationGraph fused = detector(depth, true).graph();
            assertThat(fused.getLayer("layer1_0_c1").conf().getLayer()).isInstanceOf(FusedConvFrozenBn.class);
            assertThat(fused.getVertex("layer1_0_c1_bn")).isNull();
            copyByKey(plain, fused);
            Nd4j.getRandom().setSeed(3);
            // 32 × 32, the smallest input for stride 32 (C5 is 1 × 1): the graph takes any multiple of it, and double convs are slow
            INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 32, 32);
            INDArray y = plain.outputSingle(true, x);
            double ey = relErr(fused.outputSingle(true, x), y);
            double[][] w = Nd4j.rand(DataType.DOUBLE, 2, y.size(1)).muli(16).castTo(DataType.INT32).castTo(DataType.DOUBLE).divi(8).subi(1)
                    .toDoubleMatrix();
            Map<String, INDArray> gp = injectedGradients(plain, x, w);
            Map<String, INDArray> gf = injectedGradients(fused, x, w);
            assertThat(gf.keySet()).containsExactlyInAnyOrderElementsOf(gp.keySet());
            double eg = 0;
            for (String k : gp.keySet()) {
                if (!TrainableParams.isRunningStatistic(k)) {
                    eg = Math.max(eg, relErr(gf.get(k), gp.get(k)));
                }
            }
            System.out.printf("R-%d base 8, fused vs unfused norm_eval backbone (double): output %.2e, gradients %.2e%n", depth, ey, eg);
            assertThat(ey).isLessThan(1e-11);
            assertThat(eg).isLessThan(1e-9);
        }
    }

    @Test
    void theFusedLayerSurvivesTheGraphsJsonRoundTrip() {
        ComputationGraphConfiguration conf = detector(50, true).graph().getConfiguration();
        String json = conf.toJson();
        assertThat(json).contains(FusedConvFrozenBn.class.getName());
        assertThat(ComputationGraphConfiguration.fromJson(json).getVertices().get("layer2_0_c2")).isEqualTo(conf.getVertices().get("layer2_0_c2"));
    }

    @Test
    void fusingNeedsFrozenStatistics() {
        assertThatThrownBy(() -> new BackboneParams(50, 8, -1, "", false, true)).hasMessageContaining("norm_eval");
    }
}
