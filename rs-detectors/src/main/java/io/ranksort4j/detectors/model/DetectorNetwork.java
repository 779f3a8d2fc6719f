package io.ranksort4j.detectors.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * Builds a one-stage detector (ResNet + FPN + dense head) as a DL4J ComputationGraph that takes any padded
 * input size (height and width multiples of the largest stride; {@code height}/{@code width} only size the graph
 * at build time). Every head output is flattened and merged into one row per image that feeds a single loss layer, so a
 * loss that ranks across all levels (RS, AP, aLRP) sees the whole batch at once; its gradient is injected through
 * that loss layer (see {@link InjectedLoss}). Parameters are updated by the trainer, not DL4J's updater (NoOp).
 */
public final class DetectorNetwork {
    /** The graph's single output vertex. */
    public static final String OUTPUT = "loss";

    private final ComputationGraphConfiguration.GraphBuilder g;
    private boolean normEval;
    private boolean fusedNorm;

    DetectorNetwork(ComputationGraphConfiguration.GraphBuilder g) {
        this.g = g;
    }

    /**
     * The result: the initialised graph, the name prefixes of its layers whose weights stay fixed, when the frozen
     * stages were split off the {@link FrozenStem} that feeds the graph (null otherwise), and the head layers of
     * levels 1.. that are copies of level 0's (layer name to layer name; see {@link TiedLevels}).
     */
    public record Built(ComputationGraph graph, List<String> frozenPrefixes, FrozenStem stem, Map<String, String> tied) {
        /** The networks holding backbone weights (what pretrained weights load into). */
        public List<ComputationGraph> backbone() {
            return stem == null ? List.of(graph) : List.of(stem.graph(), graph);
        }
    }

    /**
     * @param splitFrozen with {@code backbone.frozen_stages} &ge; 0, build the frozen stages as a separate
     *                    inference-only {@link FrozenStem} whose output is the graph's input, so their activations are
     *                    never kept for a backward pass that would not change them
     */
    public static Built build(int height, int width, int classes, int anchorsPerLocation, BackboneParams bb, NeckParams neck,
                              HeadParams head, boolean centerness, ILossFunction loss, long seed, DataType dtype, boolean splitFrozen) {
        FrozenStem stem = splitFrozen ? FrozenStem.build(bb, seed, dtype) : null;
        ComputationGraphConfiguration.GraphBuilder gb = graphBuilder(seed, dtype, stem == null ? InputType.convolutional(height, width, 3)
                : stem.outputType(height, width));
        DetectorNetwork n = new DetectorNetwork(gb);
        List<String> frozen = new ArrayList<>();
        String[] c = n.resnet(bb, "image", stem == null ? 0 : bb.frozenStages() + 1, frozen);
        String[] p = n.fpn(java.util.Arrays.copyOfRange(c, 1, 4), neck);
        List<String> flat = new ArrayList<>();
        for (int l = 0; l < p.length; l++) {
            n.headLevel(l, p[l], head, centerness, classes, anchorsPerLocation, flat);
        }
        gb.addVertex("merged", new MergeVertex(), flat.toArray(String[]::new));
        gb.addLayer(OUTPUT, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), "merged");
        gb.setOutputs(OUTPUT);
        ComputationGraph cg = new ComputationGraph(gb.build());
        cg.init();
        return new Built(cg, frozen, stem, head.shareLevels() ? levelCopies(cg, "l") : Map.of());
    }

    /**
     * Every parameterised layer of levels 1.. named {@code prefix + level + "_" + rest}, mapped to level 0's layer of
     * the same rest; a level's {@link LevelScale} is its own.
     */
    static Map<String, String> levelCopies(ComputationGraph cg, String prefix) {
        Pattern name = Pattern.compile(Pattern.quote(prefix) + "([1-9][0-9]*)_(.+)");
        Map<String, String> copies = new TreeMap<>();
        for (org.deeplearning4j.nn.api.Layer layer : cg.getLayers()) {
            Matcher m = name.matcher(layer.conf().getLayer().getLayerName());
            if (m.matches() && layer.numParams() > 0 && !(layer.conf().getLayer() instanceof LevelScale)) {
                copies.put(m.group(), prefix + "0_" + m.group(2));
            }
        }
        return copies;
    }

    static ComputationGraphConfiguration.GraphBuilder graphBuilder(long seed, DataType dtype, InputType input) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .updater(new NoOp())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs("image")
                .setInputTypes(input);
    }

    /** The two-stage trunk's single output vertex. */
    public static final String RCNN_OUTPUT = "loss";

    /**
     * The trunk of a two-stage detector: ResNet, FPN P2–P5 (1×1 laterals from C2–C5, top-down sums, 3×3 outputs)
     * plus P6 as a stride-2 subsample of P5 (mmdetection's FPN without extra convs), and per level an RPN head
     * (3×3 conv + ReLU, then 1×1 convs to A objectness logits and 4A deltas). One output row per image feeds the
     * injected loss: every level's RPN logits [A, H, W] and deltas [4A, H, W], then the P2–P5 feature maps
     * [C, H, W], so the loss computes the RPN recipe and, through RoIAlign and the RoI heads, the features' gradient.
     */
    public static Built buildRcnnTrunk(int height, int width, int anchorsPerLocation, BackboneParams bb, int channels, int rpnChannels,
                                       boolean shareRpn, ILossFunction loss, long seed, DataType dtype, boolean splitFrozen) {
        FrozenStem stem = splitFrozen ? FrozenStem.build(bb, seed, dtype) : null;
        ComputationGraphConfiguration.GraphBuilder gb = graphBuilder(seed, dtype, stem == null ? InputType.convolutional(height, width, 3)
                : stem.outputType(height, width));
        DetectorNetwork n = new DetectorNetwork(gb);
        List<String> frozen = new ArrayList<>();
        String[] c = n.resnet(bb, "image", stem == null ? 0 : bb.frozenStages() + 1, frozen);
        String[] lat = new String[4];
        for (int i = 0; i < 4; i++) {
            lat[i] = n.conv("fpn_lateral" + (i + 2), c[i], channels, 1, 1, true, WeightInit.XAVIER_UNIFORM);
        }
        String[] td = lat.clone();
        for (int i = 2; i >= 0; i--) {
            gb.addLayer("fpn_up" + (i + 3), new Upsampling2D.Builder(2).build(), td[i + 1]);
            gb.addVertex("fpn_sum" + (i + 2), new ElementWiseVertex(ElementWiseVertex.Op.Add), lat[i], "fpn_up" + (i + 3));
            td[i] = "fpn_sum" + (i + 2);
        }
        String[] p = new String[5];
        for (int i = 0; i < 4; i++) {
            p[i] = n.conv("fpn_p" + (i + 2), td[i], channels, 3, 1, true, WeightInit.XAVIER_UNIFORM);
        }
        gb.addLayer("fpn_p6", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(1, 1).stride(2, 2).build(), p[3]);
        p[4] = "fpn_p6";
        List<String> flat = new ArrayList<>();
        NormalDistribution std = new NormalDistribution(0, 0.01);
        for (int l = 0; l < 5; l++) {
            String t = n.relu("rpn" + l + "_relu", n.conv("rpn" + l + "_conv", p[l], rpnChannels, 3, 1, true, std));
            n.flatten(n.conv("rpn" + l + "_cls", t, anchorsPerLocation, 1, 1, true, std), flat);
            n.flatten(n.conv("rpn" + l + "_reg", t, 4 * anchorsPerLocation, 1, 1, true, std), flat);
        }
        for (int l = 0; l < 4; l++) {
            n.flatten(p[l], flat);
        }
        gb.addVertex("merged", new MergeVertex(), flat.toArray(String[]::new));
        gb.addLayer(RCNN_OUTPUT, new LossLayer.Builder(loss).activation(Activation.IDENTITY).build(), "merged");
        gb.setOutputs(RCNN_OUTPUT);
        ComputationGraph cg = new ComputationGraph(gb.build());
        cg.init();
        return new Built(cg, frozen, stem, shareRpn ? levelCopies(cg, "rpn") : Map.of());
    }

    private String conv(String name, String in, int nOut, int k, int s, boolean bias, Object init) {
        ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(k, k).stride(s, s).padding(k / 2, k / 2).nOut(nOut)
                .hasBias(bias).activation(Activation.IDENTITY);
        if (init instanceof NormalDistribution d) {
            b.weightInit(new WeightInitDistribution(d));
        } else if (init instanceof WeightInit wi) {
            b.weightInit(wi);
        }
        g.addLayer(name, b.build(), in);
        return name;
    }

    private String bn(String name, String in, boolean frozenStats) {
        BatchNormalization bn = new BatchNormalization.Builder().eps(1e-5).decay(0.9).useLogStd(false).build();
        g.addLayer(name, frozenStats ? FrozenStatsBatchNorm.of(bn) : bn, in);
        return name;
    }

    private String relu(String name, String in) {
        g.addLayer(name, new ActivationLayer(Activation.RELU), in);
        return name;
    }

    /**
     * A backbone conv + BN (+ ReLU); BN keeps its running statistics when {@code backbone.norm_eval}. With
     * {@code backbone.fused_norm} the three are one {@link FusedConvFrozenBn} layer named as the conv, whose parameter
     * keys ({@code NAME_W}, {@code NAME_bn_gamma}, ...) are those of the conv and BN layers it replaces.
     */
    private String convBnRelu(String name, String in, int nOut, int k, int s, boolean act) {
        if (fusedNorm) {
            g.addLayer(name, new FusedConvFrozenBn(nOut, k, s, k / 2, act), in);
            return name;
        }
        String x = bn(name + "_bn", conv(name, in, nOut, k, s, false, WeightInit.RELU), normEval);
        return act ? relu(name + "_relu", x) : x;
    }

    /**
     * ResNet stages {@code first}..4 from {@code in} (stage 0 the stem, stage s layer s; with first &gt; 0, {@code in} is
     * stage first − 1's output); returns C2..C5 (C2 is {@code in} itself when layer 1 was not built here).
     */
    String[] resnet(BackboneParams p, String in, int first, List<String> frozen) {
        return resnet(p, in, first, 4, frozen);
    }

    /** Stages first..last; out[s − 1] is layer s's output (or the input, for the stage before first). */
    String[] resnet(BackboneParams p, String in, int first, int last, List<String> frozen) {
        normEval = p.normEval();
        fusedNorm = p.fusedNorm();
        String x = in;
        String[] out = new String[4];
        if (first == 0) {
            x = convBnRelu("stem", in, p.baseWidth(), 7, 2, true);
            g.addLayer("stem_pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(3, 3).stride(2, 2).padding(1, 1).build(), x);
            x = "stem_pool";
        } else if (first >= 2) {
            out[first - 2] = in;
        }
        for (int s = Math.max(first, 0); s <= Math.min(p.frozenStages(), last); s++) {
            frozen.add(s == 0 ? "stem" : "layer" + s + "_");
        }
        int[] blocks = p.blocks();
        for (int s = Math.max(first, 1) - 1; s < last; s++) {
            int width = p.baseWidth() << s;
            int outCh = p.stageChannels(s);
            int inCh = s == 0 ? p.baseWidth() : p.stageChannels(s - 1);
            for (int b = 0; b < blocks[s]; b++) {
                String name = "layer" + (s + 1) + "_" + b;
                int stride = (b == 0 && s > 0) ? 2 : 1;
                String shortcut = x;
                if (b == 0 && (stride != 1 || inCh != outCh)) {
                    shortcut = convBnRelu(name + "_down", x, outCh, 1, stride, false);
                }
                String y;
                if (p.bottleneck()) {
                    y = convBnRelu(name + "_c1", x, width, 1, 1, true);
                    y = convBnRelu(name + "_c2", y, width, 3, stride, true);
                    y = convBnRelu(name + "_c3", y, outCh, 1, 1, false);
                } else {
                    y = convBnRelu(name + "_c1", x, width, 3, stride, true);
                    y = convBnRelu(name + "_c2", y, outCh, 3, 1, false);
                }
                g.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), y, shortcut);
                x = relu(name + "_out", name + "_add");
                inCh = outCh;
            }
            out[s] = x;
        }
        return out;
    }

    /** FPN with the extra levels computed from P5's output (add_extra_convs='on_output'), no ReLU before them. */
    private String[] fpn(String[] c, NeckParams p) {
        int ch = p.outChannels();
        String[] lat = new String[3];
        for (int i = 0; i < 3; i++) {
            lat[i] = conv("fpn_lateral" + (i + 3), c[i], ch, 1, 1, true, WeightInit.XAVIER_UNIFORM);
        }
        String[] td = new String[3];
        td[2] = lat[2];
        for (int i = 1; i >= 0; i--) {
            g.addLayer("fpn_up" + (i + 4), new Upsampling2D.Builder(2).build(), td[i + 1]);
            g.addVertex("fpn_sum" + (i + 3), new ElementWiseVertex(ElementWiseVertex.Op.Add), lat[i], "fpn_up" + (i + 4));
            td[i] = "fpn_sum" + (i + 3);
        }
        String[] out = new String[p.numOuts()];
        for (int i = 0; i < 3; i++) {
            out[i] = conv("fpn_p" + (i + 3), td[i], ch, 3, 1, true, WeightInit.XAVIER_UNIFORM);
        }
        for (int i = 3; i < p.numOuts(); i++) {
            out[i] = conv("fpn_p" + (i + 3), out[i - 1], ch, 3, 2, true, WeightInit.XAVIER_UNIFORM);
        }
        return out;
    }

    private void headLevel(int l, String in, HeadParams p, boolean centerness, int classes, int a, List<String> flat) {
        NormalDistribution std = new NormalDistribution(0, 0.01);
        String cls = tower("l" + l + "_cls", in, p, std);
        String reg = tower("l" + l + "_reg", in, p, std);
        String logits = "l" + l + "_cls_out";
        g.addLayer(logits, new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nOut((long) a * classes)
                .activation(Activation.IDENTITY).weightInit(new WeightInitDistribution(std))
                .biasInit(-Math.log((1 - p.priorProb()) / p.priorProb())).build(), cls);
        String deltas = conv("l" + l + "_reg_out", reg, a * 4, 3, 1, true, std);
        if (p.levelScale()) {
            g.addLayer("l" + l + "_scale", new LevelScale(), deltas);
            deltas = "l" + l + "_scale";
        }
        flatten(logits, flat);
        flatten(deltas, flat);
        if (centerness) {
            flatten(conv("l" + l + "_ctr_out", reg, a, 3, 1, true, std), flat);
        }
    }

    /** mmdetection's ConvModule per stacked conv: conv → norm → ReLU, the conv without bias when a norm follows (bias='auto'). */
    private String tower(String name, String in, HeadParams p, NormalDistribution std) {
        String x = in;
        for (int i = 0; i < p.stackedConvs(); i++) {
            x = conv(name + i, x, p.featChannels(), 3, 1, p.norm().equals("none"), std);
            switch (p.norm()) {
                case "batch" -> x = bn(name + i + "_bn", x, false);
                case "group" -> {
                    g.addLayer(name + i + "_gn", new GroupNorm(p.normGroups()), x);
                    x = name + i + "_gn";
                }
                default -> { }
            }
            x = relu(name + i + "_relu", x);
        }
        return x;
    }

    private void flatten(String in, List<String> flat) {
        String name = in + "_flat";
        g.addVertex(name, new PreprocessorVertex(new SpatialFlatten()), in);
        flat.add(name);
    }
}
