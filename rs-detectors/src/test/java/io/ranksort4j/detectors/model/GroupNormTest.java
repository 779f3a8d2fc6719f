package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class GroupNormTest {

    /** One GroupNorm layer on its own, outside any graph: what the finite-difference and torch checks drive. */
    private record Single(Layer layer, INDArray params) {
        static Single of(long c, long h, long w, int groups, DataType dt) {
            GroupNorm conf = new GroupNorm(groups);
            conf.setNIn(InputType.convolutional(h, w, c), true);
            NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(dt).layer(conf).build();
            INDArray params = Nd4j.create(dt, 1, 2 * c);
            Layer l = nnc.getLayer().instantiate(nnc, List.of(), 0, params, true, dt);
            l.setBackpropGradientsViewArray(Nd4j.create(dt, 1, 2 * c));
            return new Single(l, params);
        }

        INDArray forward(INDArray x) {
            layer.setInput(x, LayerWorkspaceMgr.noWorkspaces());
            return layer.activate(true, LayerWorkspaceMgr.noWorkspaces()).dup();
        }

        Pair<Gradient, INDArray> backward(INDArray x, INDArray dy) {
            forward(x);
            return layer.backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces());
        }
    }

    private static double dot(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).mul(b.castTo(DataType.DOUBLE)).sumNumber().doubleValue();
    }

    @Test
    void parametersStartAsTorchsGammaOneBetaZeroAndTheOutputIsPerGroupStandardised() {
        Single s = Single.of(8, 3, 5, 2, DataType.DOUBLE);
        assertThat(s.layer().getParam(GroupNorm.GAMMA).shape()).containsExactly(8);
        assertThat(s.layer().getParam(GroupNorm.GAMMA).minNumber().doubleValue()).isEqualTo(1.0);
        assertThat(s.layer().getParam(GroupNorm.BETA).amaxNumber().doubleValue()).isZero();
        Nd4j.getRandom().setSeed(5);
        INDArray y = s.forward(Nd4j.rand(DataType.DOUBLE, 2, 8, 3, 5).muli(7).addi(3)).reshape(2, 2, 60);
        assertThat(y.mean(2).amaxNumber().doubleValue()).isLessThan(1e-12);
        assertThat(y.var(false, 2).subi(1).amaxNumber().doubleValue()).isLessThan(1e-3);   // eps 1e-5 against variance ~4
    }

    @Test
    void inputGammaAndBetaGradientsMatchCentralFiniteDifferencesInDouble() {
        long n = 2;
        long c = 6;
        long h = 3;
        long w = 4;
        Single s = Single.of(c, h, w, 3, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(17);
        s.params().assign(Nd4j.rand(DataType.DOUBLE, 1, 2 * c).addi(0.5));
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, c, h, w).muli(2).addi(0.5);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, n, c, h, w);
        Pair<Gradient, INDArray> an = s.backward(x, dy);
        INDArray dx = an.getSecond().dup();
        INDArray dParams = Nd4j.concat(0, an.getFirst().getGradientFor(GroupNorm.GAMMA).reshape(c),
                an.getFirst().getGradientFor(GroupNorm.BETA).reshape(c));

        double eps = 1e-5;
        double worstX = 0;
        INDArray flatX = x.reshape(x.length());
        for (long i = 0; i < x.length(); i++) {
            double v = flatX.getDouble(i);
            flatX.putScalar(i, v + eps);
            double up = dot(s.forward(x), dy);
            flatX.putScalar(i, v - eps);
            double down = dot(s.forward(x), dy);
            flatX.putScalar(i, v);
            double fd = (up - down) / (2 * eps);
            worstX = Math.max(worstX, Math.abs(fd - dx.reshape(x.length()).getDouble(i)) / Math.max(1, Math.abs(fd)));
        }
        double worstP = 0;
        INDArray flatP = s.params().reshape(2 * c);
        for (long i = 0; i < 2 * c; i++) {
            double v = flatP.getDouble(i);
            flatP.putScalar(i, v + eps);
            double up = dot(s.forward(x), dy);
            flatP.putScalar(i, v - eps);
            double down = dot(s.forward(x), dy);
            flatP.putScalar(i, v);
            double fd = (up - down) / (2 * eps);
            worstP = Math.max(worstP, Math.abs(fd - dParams.getDouble(i)) / Math.max(1, Math.abs(fd)));
        }
        System.out.printf("GroupNorm finite differences (double): worst relative error dx %.2e, dγ/dβ %.2e%n", worstX, worstP);
        assertThat(worstX).isLessThan(1e-6);
        assertThat(worstP).isLessThan(1e-6);
    }

    @Test
    void forwardAndBackwardMatchTorchGroupNormInFloat() throws Exception {
        Map<String, INDArray> golden = Nd4j.createFromNpzFile(new File(getClass().getResource("/golden/group_norm.npz").toURI()));
        for (String tag : new String[] {"a", "b"}) {
            double[] meta = golden.get("meta_" + tag).toDoubleVector();
            long c = (long) meta[1];
            Single s = Single.of(c, (long) meta[2], (long) meta[3], (int) meta[4], DataType.FLOAT);
            s.layer().getParam(GroupNorm.GAMMA).assign(golden.get("gamma_" + tag));
            s.layer().getParam(GroupNorm.BETA).assign(golden.get("beta_" + tag));
            INDArray x = golden.get("x_" + tag).castTo(DataType.FLOAT);
            INDArray y = s.forward(x);
            Pair<Gradient, INDArray> g = s.backward(x, golden.get("dy_" + tag).castTo(DataType.FLOAT));
            double ey = maxAbs(y, golden.get("y_" + tag));
            double edx = maxAbs(g.getSecond(), golden.get("dx_" + tag));
            double edg = maxAbs(g.getFirst().getGradientFor(GroupNorm.GAMMA), golden.get("dgamma_" + tag));
            double edb = maxAbs(g.getFirst().getGradientFor(GroupNorm.BETA), golden.get("dbeta_" + tag));
            System.out.printf("GroupNorm vs torch, case %s: max |Δ| y %.2e, dx %.2e, dγ %.2e, dβ %.2e%n", tag, ey, edx, edg, edb);
            assertThat(ey).as("y_" + tag).isLessThan(1e-5);
            assertThat(edx).as("dx_" + tag).isLessThan(1e-5);
            // dγ and dβ sum N·H·W terms of order one: relative to their size
            assertThat(edg).as("dgamma_" + tag).isLessThan(1e-5 * Math.max(1, golden.get("dgamma_" + tag).amaxNumber().doubleValue()));
            assertThat(edb).as("dbeta_" + tag).isLessThan(1e-5 * Math.max(1, golden.get("dbeta_" + tag).amaxNumber().doubleValue()));
        }
    }

    private static double maxAbs(INDArray a, INDArray want) {
        return a.castTo(DataType.DOUBLE).reshape(want.shape()).sub(want.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    /** Runs one float forward + backward; returns y, dx, dγ, dβ (copies). */
    private static INDArray[] floatPass(Single s, INDArray x, INDArray dy, LayerWorkspaceMgr mgr) {
        s.layer().setInput(x, mgr);
        INDArray y = s.layer().activate(true, mgr).dup();
        Pair<Gradient, INDArray> g = s.layer().backpropGradient(dy, mgr);
        return new INDArray[] {y, g.getSecond().dup(), g.getFirst().getGradientFor(GroupNorm.GAMMA).dup(),
                g.getFirst().getGradientFor(GroupNorm.BETA).dup()};
    }

    @Test
    void floatAgreesWithDoubleOverManyChunksOddSizesAndAFarOffset() {
        // H·W = 1517 spans two float chunks with a ragged tail, and a group of 4 channels spans six; offset 50 as in
        // a group far from zero
        long n = 2;
        long c = 16;
        long h = 37;
        long w = 41;
        Nd4j.getRandom().setSeed(23);
        INDArray x = Nd4j.randn(DataType.DOUBLE, n, c, h, w).muli(Nd4j.rand(DataType.DOUBLE, 1, c, 1, 1).muli(3).addi(0.2))
                .addi(Nd4j.rand(DataType.DOUBLE, 1, c, 1, 1).muli(4)).addi(50);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, n, c, h, w);
        INDArray params = Nd4j.rand(DataType.DOUBLE, 1, 2 * c).addi(0.5);
        Single d = Single.of(c, h, w, 4, DataType.DOUBLE);
        d.params().assign(params);
        Single f = Single.of(c, h, w, 4, DataType.FLOAT);
        f.params().assign(params);
        INDArray xf = x.castTo(DataType.FLOAT);
        INDArray dyf = dy.castTo(DataType.FLOAT);
        // the reference sees the float-rounded input, so only the layer's arithmetic differs
        INDArray[] want = floatPass(d, xf.castTo(DataType.DOUBLE), dyf.castTo(DataType.DOUBLE), LayerWorkspaceMgr.noWorkspaces());
        INDArray[] got = floatPass(f, xf, dyf, LayerWorkspaceMgr.noWorkspaces());
        String[] names = {"y", "dx", "dgamma", "dbeta"};
        for (int i = 0; i < 4; i++) {
            double scale = Math.max(1, want[i].amaxNumber().doubleValue());
            double err = maxAbs(got[i], want[i]) / scale;
            System.out.printf("GroupNorm float vs double, %s: max relative |Δ| %.2e%n", names[i], err);
            assertThat(err).as(names[i]).isLessThan(2e-6);
        }
        INDArray[] again = floatPass(f, xf, dyf, LayerWorkspaceMgr.noWorkspaces());
        for (int i = 0; i < 4; i++) {
            assertThat(again[i]).as("a second run, " + names[i]).isEqualTo(got[i]);
        }
    }

    @Test
    void aViewWithAnOffsetOrStridesAndWorkspacesGiveTheSameBitsAsAPlainArray() {
        Single s = Single.of(8, 5, 6, 2, DataType.FLOAT);
        Nd4j.getRandom().setSeed(31);
        s.params().assign(Nd4j.rand(DataType.FLOAT, 1, 16).addi(0.5));
        INDArray big = Nd4j.randn(DataType.FLOAT, 4, 8, 5, 6).addi(3);
        INDArray dyBig = Nd4j.randn(DataType.FLOAT, 4, 8, 5, 6);
        INDArray[] plain = floatPass(s, big.get(NDArrayIndex.interval(1, 3)).dup(), dyBig.get(NDArrayIndex.interval(2, 4)).dup(),
                LayerWorkspaceMgr.noWorkspaces());
        INDArray[] views = floatPass(s, big.get(NDArrayIndex.interval(1, 3)), dyBig.get(NDArrayIndex.interval(2, 4)),
                LayerWorkspaceMgr.noWorkspaces());
        INDArray fOrder = big.get(NDArrayIndex.interval(1, 3)).dup('f');
        INDArray[] strided = floatPass(s, fOrder, dyBig.get(NDArrayIndex.interval(2, 4)).dup('f'), LayerWorkspaceMgr.noWorkspaces());
        WorkspaceConfiguration wsConf = WorkspaceConfiguration.builder().initialSize(1 << 20).policyAllocation(AllocationPolicy.STRICT).build();
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.builder().defaultWorkspace("GN_TEST_WS", wsConf).build();
        INDArray[] inWs;
        try (MemoryWorkspace open = Nd4j.getWorkspaceManager().getAndActivateWorkspace(wsConf, "GN_TEST_WS")) {
            // a first array shifts the layer's arrays away from the workspace's start
            Nd4j.create(DataType.FLOAT, 37);
            INDArray[] r = floatPass(s, big.get(NDArrayIndex.interval(1, 3)).dup(), dyBig.get(NDArrayIndex.interval(2, 4)).dup(), ws);
            inWs = new INDArray[4];
            for (int i = 0; i < 4; i++) {
                inWs[i] = r[i].detach();
            }
        }
        for (int i = 0; i < 4; i++) {
            assertThat(views[i]).as("view " + i).isEqualTo(plain[i]);
            assertThat(strided[i]).as("f order " + i).isEqualTo(plain[i]);
            assertThat(inWs[i]).as("workspace " + i).isEqualTo(plain[i]);
        }
    }

    @Test
    void backwardOnAnInputOtherThanTheLastForwardsRecomputesItsStatistics() {
        Single s = Single.of(6, 3, 4, 3, DataType.DOUBLE);
        Nd4j.getRandom().setSeed(41);
        INDArray x1 = Nd4j.randn(DataType.DOUBLE, 2, 6, 3, 4);
        INDArray x2 = Nd4j.randn(DataType.DOUBLE, 2, 6, 3, 4).muli(3).addi(1);
        INDArray dy = Nd4j.randn(DataType.DOUBLE, 2, 6, 3, 4);
        INDArray want = s.backward(x2, dy).getSecond().dup();
        s.forward(x1);
        s.layer().setInput(x2, LayerWorkspaceMgr.noWorkspaces());
        assertThat(s.layer().backpropGradient(dy, LayerWorkspaceMgr.noWorkspaces()).getSecond()).isEqualTo(want);
    }

    @Test
    void channelsThatDoNotSplitIntoTheGroupsAreAConfigErrorNamingBoth() {
        assertThatThrownBy(() -> new HeadParams(4, 48, 0.01, "group", 32, false, false))
                .hasMessageContaining("feat_channels (48)").hasMessageContaining("norm_groups (32)");
        assertThatThrownBy(() -> new HeadParams(4, 64, 0.01, "layer", 32, false, false)).hasMessageContaining("none, batch or group");
        assertThatThrownBy(() -> new GroupNorm(5).setNIn(InputType.convolutional(4, 4, 12), true)).hasMessageContaining("12 channels");
        assertThat(new HeadParams(2, 64, 0.01, "group", 32, false, false).normGroups()).isEqualTo(32);
    }

    private static DetectorNetwork.Built tinyGroupNormDetector() {
        return DetectorNetwork.build(64, 64, 3, 1, new BackboneParams(18, 8, -1, "", false), new NeckParams(8, 3),
                new HeadParams(2, 8, 0.01, "group", 4, false, false), false, new InjectedLoss(), 7, DataType.DOUBLE, false);
    }

    @Test
    void groupHeadsPutGroupNormAfterEveryBiasFreeTowerConvBeforeItsRelu() {
        ComputationGraph g = tinyGroupNormDetector().graph();
        ComputationGraphConfiguration conf = g.getConfiguration();
        for (String tower : new String[] {"l0_cls0", "l0_cls1", "l0_reg0", "l2_reg1"}) {
            assertThat(conf.getVertexInputs().get(tower + "_gn")).containsExactly(tower);
            assertThat(conf.getVertexInputs().get(tower + "_relu")).containsExactly(tower + "_gn");
            assertThat(((LayerVertex) conf.getVertices().get(tower + "_gn")).getLayerConf().getLayer())
                    .isInstanceOfSatisfying(GroupNorm.class, gn -> assertThat(gn.getGroups()).isEqualTo(4));
            assertThat(g.paramTable()).containsKey(tower + "_W").doesNotContainKey(tower + "_b")
                    .containsKeys(tower + "_gn_gamma", tower + "_gn_beta");
        }
    }

    @Test
    void theLayerSurvivesTheGraphsJsonRoundTrip() {
        ComputationGraph g = tinyGroupNormDetector().graph();
        Nd4j.getRandom().setSeed(2);
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            if (e.getKey().endsWith("_gn_gamma") || e.getKey().endsWith("_gn_beta")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).addi(0.5));
            }
        }
        String json = g.getConfiguration().toJson();
        assertThat(json).contains(GroupNorm.class.getName());
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertThat(back.toJson()).isEqualTo(json);
        for (var e : g.getConfiguration().getVertices().entrySet()) {
            // InjectedLoss (the loss vertex) has no equals of its own; FitGraph swaps in the recipe's loss anyway
            if (!e.getKey().equals(DetectorNetwork.OUTPUT)) {
                assertThat(back.getVertices().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
        ComputationGraph copy = new ComputationGraph(back);
        copy.init(g.params().dup(), false);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 64, 64);
        assertThat(copy.outputSingle(false, x)).isEqualTo(g.outputSingle(false, x));
    }

    /** L = Σ w·output with a fixed w whose values are exact in float (the injected rows travel as float). */
    private static double loss(ComputationGraph g, INDArray x, double[][] w) {
        double[][] out = g.outputSingle(true, x).toDoubleMatrix();
        double l = 0;
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < out[i].length; j++) {
                l += w[i][j] * out[i][j];
            }
        }
        return l;
    }

    @Test
    void theTowersGradientsThroughTheGraphWithWorkspacesMatchFiniteDifferences() {
        ComputationGraph g = tinyGroupNormDetector().graph();
        Nd4j.getRandom().setSeed(9);
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            if (e.getKey().endsWith("_gn_gamma")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).addi(0.5));
            } else if (e.getKey().endsWith("_gn_beta")) {
                e.getValue().assign(Nd4j.rand(DataType.DOUBLE, e.getValue().shape()).subi(0.5));
            }
        }
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 64, 64);
        long width = g.outputSingle(false, x).size(1);
        double[][] w = Nd4j.rand(DataType.DOUBLE, 2, width).muli(16).castTo(DataType.INT32).castTo(DataType.DOUBLE).divi(8).subi(1).toDoubleMatrix();
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
        g.setInputs(x);
        g.setLabels(Nd4j.zeros(DataType.DOUBLE, 2, width));
        g.computeGradientAndScore();
        Map<String, INDArray> grads = g.gradient().gradientForVariable();

        double worst = 0;
        int checked = 0;
        for (String key : new String[] {"l0_cls0_gn_gamma", "l0_cls1_gn_beta", "l1_reg0_gn_gamma", "l2_reg1_gn_beta", "l0_cls0_W",
                "fpn_p3_W"}) {
            INDArray p = g.getParam(key);
            INDArray flat = p.reshape(p.length());
            for (long k = 0; k < 3; k++) {
                double v = flat.getDouble(k);
                double h = 1e-5;
                flat.putScalar(k, v + h);
                double up = loss(g, x, w);
                flat.putScalar(k, v - h);
                double down = loss(g, x, w);
                flat.putScalar(k, v);
                double fd = (up - down) / (2 * h);
                double an = grads.get(key).reshape(p.length()).getDouble(k);
                assertThat(Math.abs(fd)).as(key + " moves the loss").isGreaterThan(1e-8);
                worst = Math.max(worst, Math.abs(fd - an) / Math.max(1, Math.abs(fd)));
                checked++;
            }
        }
        System.out.printf("GroupNorm towers in the graph (workspaces on): worst relative error %.2e over %d parameters%n", worst, checked);
        assertThat(worst).isLessThan(1e-6);
    }
}
