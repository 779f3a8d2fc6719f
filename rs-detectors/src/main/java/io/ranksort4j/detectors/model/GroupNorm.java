package io.ranksort4j.detectors.model;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Group normalisation (Wu &amp; He 2018) as a DL4J layer, torch's {@code F.group_norm} on NCHW input: per image and
 * group of C/G channels, normalise with the mean and biased variance over (C/G, H, W), then scale and shift per channel
 * with γ (starts at 1) and β (starts at 0). DL4J ships no such layer; mmdetection's ATSS heads put one after every
 * tower conv. It has no running statistics, so training and inference compute the same function.
 */
public final class GroupNorm extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;
    /** Parameter key of the per-channel scale. */
    public static final String GAMMA = "gamma";
    /** Parameter key of the per-channel shift. */
    public static final String BETA = "beta";

    private int groups = 32;
    private double eps = 1e-5;

    /** For DL4J's JSON (graph cloning, ParallelWrapper, Spark); use {@link #GroupNorm(int)}. */
    public GroupNorm() {}

    /** {@code groups} groups, torch's eps 1e-5; the channel count comes from the input type. */
    public GroupNorm(int groups) {
        if (groups < 1) {
            throw new IllegalArgumentException("GroupNorm needs at least one group, not " + groups);
        }
        this.groups = groups;
    }

    public int getGroups() {
        return groups;
    }

    public void setGroups(int groups) {
        this.groups = groups;
    }

    public double getEps() {
        return eps;
    }

    public void setEps(double eps) {
        this.eps = eps;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index, INDArray view, boolean init,
                             DataType dtype) {
        Impl ret = new Impl(conf, dtype);
        ret.setListeners(listeners);
        ret.setIndex(index);
        ret.setParamsViewArray(view);
        ret.setParamTable(initializer().init(conf, view, init));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        requireNchw(inputType);
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional in = requireNchw(inputType);
        if (nIn <= 0 || override) {
            nIn = in.getChannels();
            nOut = nIn;
        }
        if (nIn % groups != 0) {
            throw new IllegalArgumentException("GroupNorm '" + getLayerName() + "': " + nIn + " channels do not split into " + groups
                    + " groups (model.head.norm = group needs feat_channels divisible by norm_groups)");
        }
    }

    private InputType.InputTypeConvolutional requireNchw(InputType t) {
        if (!(t instanceof InputType.InputTypeConvolutional c) || c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("GroupNorm '" + getLayerName() + "' expects NCHW convolutional input, got " + t);
        }
        return c;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** torch's SGD decays every parameter it is given, GroupNorm's weight and bias included (mmdetection's default). */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return GAMMA.equals(paramName) ? regularization : regularizationBias;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        long updaterState = 0;
        for (String k : Params.INSTANCE.paramKeys(this)) {
            updaterState += getUpdaterByParam(k).stateSize(nOut);
        }
        // the output, plus in backward x̂ and the input gradient; statistics are O(N·G)
        return new LayerMemoryReport.Builder(layerName, GroupNorm.class, inputType, inputType)
                .standardMemory(2 * nOut, updaterState)
                .workingMemory(0, perExample, 0, 2 * perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroupNorm other && super.equals(o) && groups == other.groups && Double.compare(eps, other.eps) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), groups, eps);
    }

    @Override
    public String toString() {
        return "GroupNorm(groups=" + groups + ", eps=" + eps + ", nOut=" + nOut + ", name=" + layerName + ")";
    }

    /** γ then β, each [C], as views of the layer's slice of the flat parameter vector. */
    static final class Params implements ParamInitializer {
        static final Params INSTANCE = new Params();

        @Override
        public long numParams(NeuralNetConfiguration conf) {
            return numParams(conf.getLayer());
        }

        @Override
        public long numParams(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return 2 * ((GroupNorm) layer).getNOut();
        }

        @Override
        public List<String> paramKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(GAMMA, BETA);
        }

        @Override
        public List<String> weightKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return Collections.emptyList();
        }

        @Override
        public List<String> biasKeys(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return Collections.emptyList();
        }

        @Override
        public boolean isWeightParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public boolean isBiasParam(org.deeplearning4j.nn.conf.layers.Layer layer, String key) {
            return false;
        }

        @Override
        public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
            Map<String, INDArray> out = split(conf, view);
            if (initialize) {
                out.get(GAMMA).assign(1);
                out.get(BETA).assign(0);
            }
            conf.addVariable(GAMMA);
            conf.addVariable(BETA);
            return out;
        }

        @Override
        public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
            return split(conf, view);
        }

        private static Map<String, INDArray> split(NeuralNetConfiguration conf, INDArray view) {
            long c = ((GroupNorm) conf.getLayer()).getNOut();
            INDArray flat = view.reshape(view.length());
            Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
            out.put(GAMMA, flat.get(NDArrayIndex.interval(0, c)));
            out.put(BETA, flat.get(NDArrayIndex.interval(c, 2 * c)));
            return out;
        }
    }

    /**
     * The layer. Backward recomputes x̂ from the input (kept for backprop anyway) rather than keeping it from the
     * forward pass: one extra pass over the input instead of an activation-sized array per layer alive between the passes.
     */
    static final class Impl extends org.deeplearning4j.nn.layers.BaseLayer<GroupNorm> {
        Impl(NeuralNetConfiguration conf, DataType dtype) {
            super(conf, dtype);
        }

        @Override
        public Type type() {
            return Type.NORMALIZATION;
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public boolean hasBias() {
            return false;
        }

        private long[] checkedShape(INDArray x) {
            if (x.rank() != 4 || x.size(1) != layerConf().getNOut()) {
                throw new IllegalStateException("GroupNorm " + layerId() + " expects NCHW input with " + layerConf().getNOut()
                        + " channels, got shape " + java.util.Arrays.toString(x.shape()));
            }
            return x.shape();
        }

        /**
         * x − μ of {@code xg} [N, G, M] into {@code outG}; returns 1/sqrt(σ² + eps) [N, G]. Both moments are taken
         * about a shift (each group's first value) and the variance after centring, as stable as torch's kernel,
         * which accumulates in double: ND4J's float sums of values far from zero (Σx² − (Σx)², or even Σx alone)
         * would lose digits that torch keeps.
         */
        private INDArray centre(INDArray xg, INDArray outG) {
            INDArray shift = xg.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0)).dup();
            Broadcast.sub(xg, shift, outG, 0, 1);
            Broadcast.sub(outG, outG.mean(2), outG, 0, 1);
            INDArray norm = outG.norm2(2);
            return Transforms.sqrt(norm.muli(norm).divi(outG.size(2)).addi(layerConf().getEps()), false).rdivi(1.0);
        }

        /** [N, C]: the group's {@code perGroup} [N, G] for every channel of the group, times γ [C] when given. */
        private INDArray perChannel(INDArray perGroup, long c, INDArray gamma) {
            long n = perGroup.size(0);
            long g = perGroup.size(1);
            INDArray out = Nd4j.createUninitialized(perGroup.dataType(), n, g, c / g);
            Broadcast.copy(out, perGroup, out, 0, 1);
            out = out.reshape('c', n, c);
            return gamma == null ? out : Broadcast.mul(out, gamma, out, 1);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            INDArray x = input.castTo(dataType);
            long[] s = checkedShape(x);
            long g = layerConf().getGroups();
            long m = s[1] / g * s[2] * s[3];
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, s, 'c');
            INDArray rstd = centre(x.reshape('c', s[0], g, m), out.reshape('c', s[0], g, m));
            // y = (x − μ)·(rstd·γ) + β: normalisation and affine in two passes
            Broadcast.mul(out, perChannel(rstd, s[1], getParam(GAMMA)), out, 0, 1);
            Broadcast.add(out, getParam(BETA), out, 1);
            return out;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            INDArray x = input.castTo(dataType);
            INDArray e = epsilon.castTo(dataType);
            long[] s = checkedShape(x);
            long n = s[0];
            long c = s[1];
            long g = layerConf().getGroups();
            long m = c / g * s[2] * s[3];
            INDArray gamma = getParam(GAMMA);
            INDArray xhat = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, s, 'c');
            INDArray xhatG = xhat.reshape('c', n, g, m);
            INDArray rstd = centre(x.reshape('c', n, g, m), xhatG);
            Broadcast.mul(xhatG, rstd, xhatG, 0, 1);
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, s, 'c');
            // Per (image, channel) sums of ε and ε·x̂ give dβ and dγ and, weighted by γ, the two group means the input
            // gradient needs (of dx̂ = γε and of dx̂·x̂), so no third activation-sized array; dx is scratch for ε·x̂ first
            INDArray sumE = e.sum(2, 3);
            INDArray sumEX = dx.assign(e).muli(xhat).sum(2, 3);
            INDArray dBeta = sumE.sum(0);
            INDArray dGamma = sumEX.sum(0);
            INDArray meanDxhat = Broadcast.mul(sumE, gamma, sumE, 1).reshape('c', n, g, c / g).sum(2).divi(m);
            INDArray meanDxhatXhat = Broadcast.mul(sumEX, gamma, sumEX, 1).reshape('c', n, g, c / g).sum(2).divi(m);
            // dx = rstd·γ·ε − rstd·(mean(dx̂) + x̂·mean(dx̂·x̂)), the second term built in x̂'s buffer
            Broadcast.mul(xhatG, meanDxhatXhat.muli(rstd), xhatG, 0, 1);
            Broadcast.add(xhatG, meanDxhat.muli(rstd), xhatG, 0, 1);
            Broadcast.mul(e, perChannel(rstd, c, gamma), dx, 0, 1);
            dx.subi(xhat);

            Gradient grad = new DefaultGradient();
            grad.setGradientFor(GAMMA, gradientViews.get(GAMMA).assign(dGamma));
            grad.setGradientFor(BETA, gradientViews.get(BETA).assign(dBeta));
            return new Pair<>(grad, dx);
        }
    }
}
