package io.ranksort4j.detectors.model;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
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
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.learning.regularization.Regularization;

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
        return LayerWiring.wire(new Impl(conf, dtype), conf, listeners, index, view, init, initializer());
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
        long updaterState = 0;
        for (String k : Params.INSTANCE.paramKeys(this)) {
            updaterState += getUpdaterByParam(k).stateSize(nOut);
        }
        // no working memory: forward writes only its output, backward only the input gradient (both counted from the
        // types); the statistics kept between the passes are 2·N·G doubles on the heap
        return new LayerMemoryReport.Builder(layerName, GroupNorm.class, inputType, inputType)
                .standardMemory(2 * nOut, updaterState)
                .workingMemory(0, 0, 0, 0)
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

    /** γ then β, [nOut] each. */
    static final class Params extends TensorParams {
        static final Params INSTANCE = new Params();

        @Override
        List<Tensor> tensors(org.deeplearning4j.nn.conf.layers.Layer layer) {
            long c = ((GroupNorm) layer).getNOut();
            return List.of(new Tensor(GAMMA, new long[] {c}, false), new Tensor(BETA, new long[] {c}, false));
        }

        @Override
        void initialise(org.deeplearning4j.nn.conf.layers.Layer layer, Map<String, INDArray> views) {
            views.get(GAMMA).assign(1);
            views.get(BETA).assign(0);
        }
    }

    /**
     * The layer. Both passes are plain loops over the arrays' buffers, one image-group row per task, so the only
     * activation-sized arrays are the output (forward) and the input gradient (backward), each written once. Forward
     * keeps each row's mean and 1/σ (2·N·G doubles) for backward, which recomputes x̂ from the input DL4J keeps anyway:
     * an activation-sized x̂ per layer alive between the passes would cost more than the read.
     * Sums are taken about each row's first value, so a group far from zero keeps its digits without a centring pass.
     */
    static final class Impl extends org.deeplearning4j.nn.layers.BaseLayer<GroupNorm> {
        /** The input the statistics below belong to; backward recomputes them for any other. */
        private transient INDArray statsInput;
        private transient double[] mean;
        private transient double[] rstd;

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

        @Override
        public void clear() {
            super.clear();
            statsInput = null;
        }

        private long[] checkedShape(INDArray x) {
            if (x.rank() != 4 || x.size(1) != layerConf().getNOut()) {
                throw new IllegalStateException("GroupNorm " + layerId() + " expects NCHW input with " + layerConf().getNOut()
                        + " channels, got shape " + java.util.Arrays.toString(x.shape()));
            }
            if (x.length() > Integer.MAX_VALUE) {
                throw new IllegalStateException("GroupNorm " + layerId() + ": " + x.length() + " elements exceed one NIO buffer");
            }
            return x.shape();
        }

        /** {@code a} itself when its buffer can be walked in c order from its offset by int index, otherwise a c-order copy. */
        private static INDArray dense(INDArray a, LayerWorkspaceMgr mgr, ArrayType type) {
            boolean plain = a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a) && a.elementWiseStride() == 1
                    && a.offset() + a.length() <= Integer.MAX_VALUE;
            return plain ? a : mgr.dup(type, a, 'c');
        }

        /** Float and double run as themselves; any other type goes through float. */
        private DataType computeType() {
            return dataType == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        }

        private Geometry geometry(long[] s) {
            int g = layerConf().getGroups();
            return new Geometry((int) s[0], (int) s[1], g, (int) (s[2] * s[3]));
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            long[] s = checkedShape(input);
            DataType dt = computeType();
            INDArray x = dense(input.castTo(dt), mgr, ArrayType.FF_WORKING_MEM);
            Geometry geo = geometry(s);
            double[] gamma = getParam(GAMMA).toDoubleVector();
            double[] beta = getParam(BETA).toDoubleVector();
            double eps = layerConf().getEps();
            double[] mu = new double[geo.rows()];
            double[] rs = new double[geo.rows()];
            INDArray out = mgr.createUninitialized(ArrayType.ACTIVATIONS, dt, s, 'c');
            Kernels k = Kernels.of(x, out);
            IntStream.range(0, geo.rows()).parallel().forEach(r -> {
                k.moments(geo, r, eps, mu, rs);
                k.normalise(geo, r, mu[r], rs[r], gamma, beta);
            });
            statsInput = input;
            mean = mu;
            rstd = rs;
            return dt == dataType ? out : mgr.castTo(ArrayType.ACTIVATIONS, dataType, out, false);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            long[] s = checkedShape(input);
            DataType dt = computeType();
            INDArray x = dense(input.castTo(dt), mgr, ArrayType.BP_WORKING_MEM);
            INDArray e = dense(epsilon.castTo(dt), mgr, ArrayType.BP_WORKING_MEM);
            Geometry geo = geometry(s);
            double[] gamma = getParam(GAMMA).toDoubleVector();
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dt, s, 'c');
            Kernels k = Kernels.of(x, e, dx);
            if (statsInput != input || mean == null || mean.length != geo.rows()) {
                double eps = layerConf().getEps();
                mean = new double[geo.rows()];
                rstd = new double[geo.rows()];
                IntStream.range(0, geo.rows()).parallel().forEach(r -> k.moments(geo, r, eps, mean, rstd));
                statsInput = input;
            }
            double[] mu = mean;
            double[] rs = rstd;
            // per (image, channel): Σε and Σε·(x − μ); dβ, dγ and the two group means of dx come from these
            double[] sumE = new double[geo.n() * geo.c()];
            double[] sumEX = new double[geo.n() * geo.c()];
            IntStream.range(0, geo.rows()).parallel().forEach(r -> {
                k.gradSums(geo, r, mu[r], sumE, sumEX);
                k.inputGrad(geo, r, mu[r], rs[r], gamma, sumE, sumEX);
            });
            INDArray dGamma = gradientViews.get(GAMMA);
            INDArray dBeta = gradientViews.get(BETA);
            for (int ch = 0; ch < geo.c(); ch++) {
                double dg = 0;
                double db = 0;
                for (int i = 0; i < geo.n(); i++) {
                    dg += sumEX[i * geo.c() + ch] * rs[(i * geo.c() + ch) / geo.perGroup()];
                    db += sumE[i * geo.c() + ch];
                }
                dGamma.putScalar(ch, dg);
                dBeta.putScalar(ch, db);
            }
            Gradient grad = new DefaultGradient();
            grad.setGradientFor(GAMMA, dGamma);
            grad.setGradientFor(BETA, dBeta);
            return new Pair<>(grad, dt == dataType ? dx : mgr.castTo(ArrayType.ACTIVATION_GRAD, dataType, dx, false));
        }
    }

    /** N images, C channels in G groups, HW pixels: row r = n·G + g is one image's group, contiguous in c order. */
    record Geometry(int n, int c, int g, int hw) {
        int rows() {
            return n * g;
        }

        int perGroup() {
            return c / g;
        }

        /** Elements per row. */
        int m() {
            return c / g * hw;
        }
    }

    /**
     * The loops, over NIO views of the arrays' buffers (no copies), in float or double. Each call handles one row and
     * writes only that row's slots, so rows run in parallel and every sum is taken in the same order on any thread.
     */
    abstract static class Kernels {
        /** Input, then ε (backward) and the written array, as buffers with the element offset of each array. */
        static Kernels of(INDArray... arrays) {
            return arrays[0].dataType() == DataType.DOUBLE ? new D(arrays) : new F(arrays);
        }

        final int[] offsets;

        Kernels(INDArray[] arrays) {
            offsets = new int[arrays.length];
            for (int i = 0; i < arrays.length; i++) {
                offsets[i] = (int) arrays[i].offset();
            }
        }

        /** Mean and 1/sqrt(biased variance + eps) of row r: one pass of sums about the row's first value. */
        abstract void moments(Geometry geo, int r, double eps, double[] mean, double[] rstd);

        /** y = (x − μ)·(rstd·γ) + β over row r. */
        abstract void normalise(Geometry geo, int r, double mu, double rs, double[] gamma, double[] beta);

        /** Σε and Σε·(x − μ) per channel of row r into the [N·C] arrays. */
        abstract void gradSums(Geometry geo, int r, double mu, double[] sumE, double[] sumEX);

        /**
         * dx = rstd·(γε − mean(dx̂) − x̂·mean(dx̂·x̂)) over row r, dx̂ = γε; both means over the row follow from its
         * channels' sums: mean(dx̂) = Σ γ·Σε / M, mean(dx̂·x̂) = rstd·Σ γ·Σε(x − μ) / M.
         */
        final void inputGrad(Geometry geo, int r, double mu, double rs, double[] gamma, double[] sumE, double[] sumEX) {
            int cpg = geo.perGroup();
            int c0 = (r % geo.g()) * cpg;
            int row = (r / geo.g()) * geo.c() + c0;
            double a = 0;
            double b = 0;
            for (int j = 0; j < cpg; j++) {
                a += gamma[c0 + j] * sumE[row + j];
                b += gamma[c0 + j] * sumEX[row + j];
            }
            double meanDxhat = a / geo.m();
            double meanDxhatXhat = rs * b / geo.m();
            // dx = ε·(rstd·γ) − (x − μ)·rstd²·mean(dx̂·x̂) − rstd·mean(dx̂)
            double slope = rs * rs * meanDxhatXhat;
            double shift = rs * meanDxhat;
            for (int j = 0; j < cpg; j++) {
                inputGradChannel((row + j) * geo.hw(), geo.hw(), mu, rs * gamma[c0 + j], slope, shift);
            }
        }

        abstract void inputGradChannel(int base, int hw, double mu, double scale, double slope, double shift);

        /**
         * Float buffers, walked in chunks copied to a float[] (a bulk copy out of the direct buffer): C2 vectorises
         * loops over arrays, not over buffer gets, and a chunk stays in L1. Each chunk's sums run in four float lanes
         * (at most CHUNK / 4 terms each, so a lane loses no more than torch's float cascade sums do), chunks add up in
         * double. x − μ is taken against μ rounded to float and the rounding folded into each row's constants, so a
         * group far from zero does not cancel digits away.
         */
        static final class F extends Kernels {
            static final int CHUNK = 1024;
            /** Two chunks per thread, reused by every row and layer (per call they would be megabytes of garbage). */
            private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][CHUNK]);
            private final FloatBuffer[] b;

            F(INDArray[] arrays) {
                super(arrays);
                b = new FloatBuffer[arrays.length];
                for (int i = 0; i < arrays.length; i++) {
                    b[i] = arrays[i].data().asNioFloat();
                }
            }

            @Override
            void moments(Geometry geo, int r, double eps, double[] mean, double[] rstd) {
                FloatBuffer x = b[0];
                int m = geo.m();
                int base = offsets[0] + r * m;
                float first = x.get(base);
                float[] buf = SCRATCH.get()[0];
                double s = 0;
                double q = 0;
                for (int o = 0; o < m; o += CHUNK) {
                    int len = Math.min(CHUNK, m - o);
                    x.get(base + o, buf, 0, len);
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
                    int i = 0;
                    for (; i + 3 < len; i += 4) {
                        float d0 = buf[i] - first;
                        float d1 = buf[i + 1] - first;
                        float d2 = buf[i + 2] - first;
                        float d3 = buf[i + 3] - first;
                        s0 += d0;
                        s1 += d1;
                        s2 += d2;
                        s3 += d3;
                        q0 += d0 * d0;
                        q1 += d1 * d1;
                        q2 += d2 * d2;
                        q3 += d3 * d3;
                    }
                    for (; i < len; i++) {
                        float d = buf[i] - first;
                        s0 += d;
                        q0 += d * d;
                    }
                    s += ((double) s0 + s1) + ((double) s2 + s3);
                    q += ((double) q0 + q1) + ((double) q2 + q3);
                }
                double md = s / m;
                double var = Math.max(0, q / m - md * md);
                mean[r] = first + md;
                rstd[r] = 1 / Math.sqrt(var + eps);
            }

            @Override
            void normalise(Geometry geo, int r, double mu, double rs, double[] gamma, double[] beta) {
                FloatBuffer x = b[0];
                FloatBuffer y = b[1];
                int cpg = geo.perGroup();
                int c0 = (r % geo.g()) * cpg;
                int hw = geo.hw();
                int xb = offsets[0] + r * geo.m();
                int yb = offsets[1] + r * geo.m();
                float muF = (float) mu;
                float[] buf = SCRATCH.get()[0];
                for (int j = 0; j < cpg; j++) {
                    double scale = rs * gamma[c0 + j];
                    float a = (float) scale;
                    float bias = (float) (beta[c0 + j] - (mu - muF) * scale);
                    int o = j * hw;
                    for (int k = 0; k < hw; k += CHUNK) {
                        int len = Math.min(CHUNK, hw - k);
                        x.get(xb + o + k, buf, 0, len);
                        for (int i = 0; i < len; i++) {
                            buf[i] = (buf[i] - muF) * a + bias;
                        }
                        y.put(yb + o + k, buf, 0, len);
                    }
                }
            }

            @Override
            void gradSums(Geometry geo, int r, double mu, double[] sumE, double[] sumEX) {
                FloatBuffer x = b[0];
                FloatBuffer e = b[1];
                int cpg = geo.perGroup();
                int hw = geo.hw();
                int row = (r / geo.g()) * geo.c() + (r % geo.g()) * cpg;
                float muF = (float) mu;
                float[][] scratch = SCRATCH.get();
                float[] xs = scratch[0];
                float[] es = scratch[1];
                for (int j = 0; j < cpg; j++) {
                    int xb = offsets[0] + (row + j) * hw;
                    int eb = offsets[1] + (row + j) * hw;
                    double s = 0;
                    double p = 0;
                    for (int k = 0; k < hw; k += CHUNK) {
                        int len = Math.min(CHUNK, hw - k);
                        x.get(xb + k, xs, 0, len);
                        e.get(eb + k, es, 0, len);
                        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
                        int i = 0;
                        for (; i + 3 < len; i += 4) {
                            s0 += es[i];
                            s1 += es[i + 1];
                            s2 += es[i + 2];
                            s3 += es[i + 3];
                            p0 += es[i] * (xs[i] - muF);
                            p1 += es[i + 1] * (xs[i + 1] - muF);
                            p2 += es[i + 2] * (xs[i + 2] - muF);
                            p3 += es[i + 3] * (xs[i + 3] - muF);
                        }
                        for (; i < len; i++) {
                            s0 += es[i];
                            p0 += es[i] * (xs[i] - muF);
                        }
                        s += ((double) s0 + s1) + ((double) s2 + s3);
                        p += ((double) p0 + p1) + ((double) p2 + p3);
                    }
                    sumE[row + j] = s;
                    // Σε·(x − μ) = Σε·(x − μf) + (μf − μ)·Σε
                    sumEX[row + j] = p + (muF - mu) * s;
                }
            }

            @Override
            void inputGradChannel(int base, int hw, double mu, double scale, double slope, double shift) {
                FloatBuffer x = b[0];
                FloatBuffer e = b[1];
                FloatBuffer dx = b[2];
                int xb = offsets[0] + base;
                int eb = offsets[1] + base;
                int db = offsets[2] + base;
                float muF = (float) mu;
                float a = (float) scale;
                float sl = (float) slope;
                float sh = (float) (shift + (mu - muF) * slope);
                float[][] scratch = SCRATCH.get();
                float[] xs = scratch[0];
                float[] es = scratch[1];
                for (int k = 0; k < hw; k += CHUNK) {
                    int len = Math.min(CHUNK, hw - k);
                    x.get(xb + k, xs, 0, len);
                    e.get(eb + k, es, 0, len);
                    for (int i = 0; i < len; i++) {
                        es[i] = es[i] * a - (xs[i] - muF) * sl - sh;
                    }
                    dx.put(db + k, es, 0, len);
                }
            }
        }

        /** Double buffers (the finite-difference tests run in double). */
        static final class D extends Kernels {
            private final DoubleBuffer[] b;

            D(INDArray[] arrays) {
                super(arrays);
                b = new DoubleBuffer[arrays.length];
                for (int i = 0; i < arrays.length; i++) {
                    b[i] = arrays[i].data().asNioDouble();
                }
            }

            @Override
            void moments(Geometry geo, int r, double eps, double[] mean, double[] rstd) {
                DoubleBuffer x = b[0];
                int m = geo.m();
                int base = offsets[0] + r * m;
                double first = x.get(base);
                double s = 0;
                double q = 0;
                for (int i = 0; i < m; i++) {
                    double d = x.get(base + i) - first;
                    s += d;
                    q += d * d;
                }
                double md = s / m;
                double var = Math.max(0, q / m - md * md);
                mean[r] = first + md;
                rstd[r] = 1 / Math.sqrt(var + eps);
            }

            @Override
            void normalise(Geometry geo, int r, double mu, double rs, double[] gamma, double[] beta) {
                DoubleBuffer x = b[0];
                DoubleBuffer y = b[1];
                int cpg = geo.perGroup();
                int c0 = (r % geo.g()) * cpg;
                int hw = geo.hw();
                int xb = offsets[0] + r * geo.m();
                int yb = offsets[1] + r * geo.m();
                for (int j = 0; j < cpg; j++) {
                    double scale = rs * gamma[c0 + j];
                    double bias = beta[c0 + j];
                    int o = j * hw;
                    for (int i = 0; i < hw; i++) {
                        y.put(yb + o + i, (x.get(xb + o + i) - mu) * scale + bias);
                    }
                }
            }

            @Override
            void gradSums(Geometry geo, int r, double mu, double[] sumE, double[] sumEX) {
                DoubleBuffer x = b[0];
                DoubleBuffer e = b[1];
                int cpg = geo.perGroup();
                int hw = geo.hw();
                int row = (r / geo.g()) * geo.c() + (r % geo.g()) * cpg;
                for (int j = 0; j < cpg; j++) {
                    int xb = offsets[0] + (row + j) * hw;
                    int eb = offsets[1] + (row + j) * hw;
                    double s = 0;
                    double p = 0;
                    for (int i = 0; i < hw; i++) {
                        double e0 = e.get(eb + i);
                        s += e0;
                        p += e0 * (x.get(xb + i) - mu);
                    }
                    sumE[row + j] = s;
                    sumEX[row + j] = p;
                }
            }

            @Override
            void inputGradChannel(int base, int hw, double mu, double scale, double slope, double shift) {
                DoubleBuffer x = b[0];
                DoubleBuffer e = b[1];
                DoubleBuffer dx = b[2];
                int xb = offsets[0] + base;
                int eb = offsets[1] + base;
                int db = offsets[2] + base;
                for (int i = 0; i < hw; i++) {
                    dx.put(db + i, e.get(eb + i) * scale - (x.get(xb + i) - mu) * slope - shift);
                }
            }
        }
    }
}
