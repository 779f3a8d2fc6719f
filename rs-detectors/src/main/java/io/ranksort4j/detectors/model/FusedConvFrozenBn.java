package io.ranksort4j.detectors.model;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
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
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinearDerivative;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A bias-free convolution, a batch norm on frozen running statistics ({@code norm_eval}) and optionally a ReLU as one
 * DL4J layer. As three layers DL4J keeps three activation-sized arrays per conv for the backward pass (the conv's, the
 * norm's and the ReLU's outputs); this layer keeps only its output, and its backward needs nothing else besides its
 * input, which the previous layer keeps anyway. Parameter keys are {@code W}, {@code bn_gamma}, {@code bn_beta},
 * {@code bn_mean}, {@code bn_var}, so a layer named {@code layer1_0_c1} has the same parameter-table names as the
 * conv {@code layer1_0_c1} and the batch norm {@code layer1_0_c1_bn} it replaces.
 */
public final class FusedConvFrozenBn extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;
    /** The convolution's weights, [nOut, nIn, kH, kW]. */
    public static final String WEIGHT = "W";
    /** The norm's per-channel scale γ. */
    public static final String GAMMA = "bn_gamma";
    /** The norm's per-channel shift β. */
    public static final String BETA = "bn_beta";
    /** The norm's running mean (frozen). */
    public static final String MEAN = "bn_mean";
    /** The norm's running variance (frozen). */
    public static final String VAR = "bn_var";

    private int kernel = 1;
    private int stride = 1;
    private int padding = 0;
    private boolean relu;
    private double eps = 1e-5;

    /** For DL4J's JSON (graph cloning, ParallelWrapper, Spark). */
    public FusedConvFrozenBn() {}

    /** A k×k convolution with stride s and padding p to {@code nOut} channels, then frozen BN (eps 1e-5), then ReLU if {@code relu}. */
    public FusedConvFrozenBn(int nOut, int kernel, int stride, int padding, boolean relu) {
        if (kernel < 1 || stride < 1 || padding < 0 || nOut < 1) {
            throw new IllegalArgumentException("bad conv: nOut " + nOut + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.nOut = nOut;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.relu = relu;
    }

    public int getKernel() {
        return kernel;
    }

    public void setKernel(int kernel) {
        this.kernel = kernel;
    }

    public int getStride() {
        return stride;
    }

    public void setStride(int stride) {
        this.stride = stride;
    }

    public int getPadding() {
        return padding;
    }

    public void setPadding(int padding) {
        this.padding = padding;
    }

    public boolean isRelu() {
        return relu;
    }

    public void setRelu(boolean relu) {
        this.relu = relu;
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
        return LayerWiring.wire(new Impl(conf, dtype), conf, listeners, index, view, init, initializer());
    }

    @Override
    public ParamInitializer initializer() {
        return Params.INSTANCE;
    }

    /** ConvolutionMode.Truncate, as the backbone's ConvolutionLayers: floor((in + 2p − k)/s) + 1. */
    long outSize(long in) {
        return (in + 2L * padding - kernel) / stride + 1;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional in = requireNchw(inputType);
        return InputType.convolutional(outSize(in.getHeight()), outSize(in.getWidth()), nOut);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        InputType.InputTypeConvolutional in = requireNchw(inputType);
        if (nIn <= 0 || override) {
            nIn = in.getChannels();
        }
    }

    private InputType.InputTypeConvolutional requireNchw(InputType t) {
        if (!(t instanceof InputType.InputTypeConvolutional c) || c.getFormat() != CNN2DFormat.NCHW) {
            throw new IllegalStateException("FusedConvFrozenBn '" + getLayerName() + "' expects NCHW convolutional input, got " + t);
        }
        return c;
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** The weights decay as the conv's; γ and β as the separate norm layer's (its bias setting); the statistics never. */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (paramName) {
            case WEIGHT -> regularization;
            case GAMMA, BETA -> regularizationBias;
            default -> Collections.emptyList();
        };
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        InputType out = getOutputType(-1, inputType);
        long perExOut = out.arrayElementsPerExample();
        long params = Params.INSTANCE.numParams(this);
        // backward: the ReLU-masked gradient (an output-sized array) besides the input gradient; nothing cached
        return new LayerMemoryReport.Builder(layerName, FusedConvFrozenBn.class, inputType, out)
                .standardMemory(params, 0)
                .workingMemory(0, 0, 0, (relu ? perExOut : 0) + inputType.arrayElementsPerExample())
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FusedConvFrozenBn other && super.equals(o) && kernel == other.kernel && stride == other.stride
                && padding == other.padding && relu == other.relu && Double.compare(eps, other.eps) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), kernel, stride, padding, relu, eps);
    }

    @Override
    public String toString() {
        return "FusedConvFrozenBn(" + kernel + "x" + kernel + "/" + stride + " pad " + padding + (relu ? ", relu" : "") + ", nIn=" + nIn
                + ", nOut=" + nOut + ", name=" + layerName + ")";
    }

    /** W [nOut, nIn, k, k], then γ, β, mean, var [nOut], as views of the layer's slice of the flat parameter vector. */
    static final class Params extends TensorParams {
        static final Params INSTANCE = new Params();

        @Override
        List<Tensor> tensors(org.deeplearning4j.nn.conf.layers.Layer layer) {
            FusedConvFrozenBn l = (FusedConvFrozenBn) layer;
            long[] c = {l.getNOut()};
            return List.of(new Tensor(WEIGHT, new long[] {l.getNOut(), l.getNIn(), l.kernel, l.kernel}, true), new Tensor(GAMMA, c, false),
                    new Tensor(BETA, c, false), new Tensor(MEAN, c, false), new Tensor(VAR, c, false));
        }

        @Override
        void initialise(org.deeplearning4j.nn.conf.layers.Layer layer, Map<String, INDArray> views) {
            FusedConvFrozenBn l = (FusedConvFrozenBn) layer;
            int k = l.kernel;
            // the same fan-in / fan-out as DL4J's ConvolutionParamInitializer, so WeightInit.RELU draws the same distribution
            double fanIn = (double) l.getNIn() * k * k;
            double fanOut = (double) l.getNOut() * k * k / ((double) l.stride * l.stride);
            INDArray w = views.get(WEIGHT);
            l.getWeightInitFn().init(fanIn, fanOut, w.shape(), 'c', w);
            views.get(GAMMA).assign(1);
            views.get(BETA).assign(0);
            views.get(MEAN).assign(0);
            views.get(VAR).assign(1);
        }
    }

    /**
     * The layer. Forward folds the norm into the convolution: y = relu(conv(x, s·W) + t) with s = γ/σ, σ = sqrt(var + eps),
     * t = β − s·μ, one oneDNN conv2d (with t as its bias) and an in-place ReLU. Backward with g = ε·[y &gt; 0] (ε without
     * the ReLU): conv2d_bp(x, s·W, g) gives dx and G = Σ g ⊗ x-patches; then dW = s·G, dβ = Σ g and
     * dγ = Σ g·(z − μ)/σ = (⟨W, G⟩ − μ·dβ)/σ, since Σ g·z = ⟨W, G⟩ for z = conv(x, W). No division by γ, so a zero γ
     * is no special case, and the pre-norm z is never needed.
     */
    static final class Impl extends org.deeplearning4j.nn.layers.BaseLayer<FusedConvFrozenBn> {
        /** The training forward's input and output: backward reads the ReLU mask from the output (see {@link #reluOutput}). */
        private transient INDArray lastInput;
        private transient INDArray lastOutput;
        /** How often backward had to recompute the output (tests check that training in a graph never does). */
        long recomputes;

        Impl(NeuralNetConfiguration conf, DataType dtype) {
            super(conf, dtype);
        }

        @Override
        public Type type() {
            return Type.CONVOLUTIONAL;
        }

        @Override
        public boolean isPretrainLayer() {
            return false;
        }

        @Override
        public boolean hasBias() {
            return false;
        }

        private long[] outShape(INDArray x) {
            FusedConvFrozenBn l = layerConf();
            if (x.rank() != 4 || x.size(1) != l.getNIn()) {
                throw new IllegalStateException("FusedConvFrozenBn " + layerId() + " expects NCHW input with " + l.getNIn()
                        + " channels, got shape " + Arrays.toString(x.shape()));
            }
            return new long[] {x.size(0), l.getNOut(), l.outSize(x.size(2)), l.outSize(x.size(3))};
        }

        /** s = γ / sqrt(var + eps), [nOut]. */
        private INDArray scale() {
            return Transforms.sqrt(getParam(VAR).add(layerConf().getEps()), false).rdivi(getParam(GAMMA));
        }

        /**
         * s·W in the layer's working memory ({@code type}), so the parameter-sized copy is freed with the layer's
         * scratch rather than kept in the activation workspace until the iteration ends.
         */
        private INDArray scaledWeights(INDArray s, LayerWorkspaceMgr mgr, ArrayType type) {
            INDArray w = getParam(WEIGHT);
            return Broadcast.mul(w, s, mgr.createUninitialized(type, dataType, w.shape(), 'c'), 0);
        }

        private int[] convArgs() {
            FusedConvFrozenBn l = layerConf();
            // kH, kW, sH, sW, pH, pW, dH, dW, same mode (0: Truncate), data format (0: NCHW), weight format (1: [oC, iC, kH, kW])
            return new int[] {l.kernel, l.kernel, l.stride, l.stride, l.padding, l.padding, 1, 1, 0, 0, 1};
        }

        private INDArray forward(INDArray x, INDArray out, LayerWorkspaceMgr mgr, ArrayType scratch) {
            INDArray s = scale();
            INDArray t = getParam(BETA).sub(s.mul(getParam(MEAN)));
            Nd4j.exec(DynamicCustomOp.builder("conv2d").addInputs(x, scaledWeights(s, mgr, scratch), t).addOutputs(out)
                    .addIntegerArguments(convArgs()).build());
            if (layerConf().isRelu()) {
                Transforms.relu(out, false);
            }
            return out;
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            INDArray x = input.castTo(dataType);
            INDArray out = forward(x, mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape(x), 'c'), mgr, ArrayType.FF_WORKING_MEM);
            // DL4J keeps every layer's training output in its activation workspace until backward: remember which it is
            lastInput = training ? input : null;
            lastOutput = training ? out : null;
            return out;
        }

        /**
         * The output of the training forward pass on the current input (the ReLU mask y &gt; 0 is the mask of the
         * pre-activation, as DL4J's ReLU backward takes it); recomputed into working memory only when backward comes
         * without that forward pass, e.g. a stale reference from an earlier iteration, whose workspace memory is reused.
         */
        private INDArray reluOutput(INDArray x, LayerWorkspaceMgr mgr) {
            if (lastOutput != null && lastInput == input) {
                return lastOutput;
            }
            recomputes++;
            return forward(x, mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, outShape(x), 'c'), mgr, ArrayType.BP_WORKING_MEM);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            INDArray x = input.castTo(dataType);
            INDArray e = epsilon.castTo(dataType);
            INDArray g = e;
            if (layerConf().isRelu()) {
                INDArray y = reluOutput(x, mgr);
                g = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, e.shape(), 'c');
                Nd4j.exec(new RectifiedLinearDerivative(y, e, g));
            }
            INDArray s = scale();
            INDArray w = getParam(WEIGHT);
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
            INDArray gw = mgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType, w.shape(), 'c');
            Nd4j.exec(DynamicCustomOp.builder("conv2d_bp").addInputs(x, scaledWeights(s, mgr, ArrayType.BP_WORKING_MEM), g).addOutputs(dx, gw)
                    .addIntegerArguments(convArgs()).build());

            INDArray dBeta = g.sum(0, 2, 3);
            INDArray sigma = Transforms.sqrt(getParam(VAR).add(layerConf().getEps()), false);
            Gradient grad = new DefaultGradient();
            grad.setGradientFor(WEIGHT, Broadcast.mul(gw, s, gradientViews.get(WEIGHT), 0));
            // ⟨W, G⟩ per output channel, in G's buffer now that dW is written
            INDArray dGamma = gw.muli(w).sum(1, 2, 3).subi(getParam(MEAN).mul(dBeta)).divi(sigma);
            grad.setGradientFor(GAMMA, gradientViews.get(GAMMA).assign(dGamma));
            grad.setGradientFor(BETA, gradientViews.get(BETA).assign(dBeta));
            // frozen statistics: no moving-average step (the trainer subtracts the statistics' "gradient" as is)
            grad.setGradientFor(MEAN, gradientViews.get(MEAN).assign(0));
            grad.setGradientFor(VAR, gradientViews.get(VAR).assign(0));
            lastInput = null;
            lastOutput = null;
            return new Pair<>(grad, dx);
        }

        @Override
        public void clear() {
            super.clear();
            lastInput = null;
            lastOutput = null;
        }
    }
}
