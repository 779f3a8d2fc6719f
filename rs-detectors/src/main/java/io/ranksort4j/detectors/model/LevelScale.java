package io.ranksort4j.detectors.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
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
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * mmdetection's {@code Scale}: one learnable scalar (starting at 1) that multiplies a pyramid level's box output, so a
 * head shared across levels can still give each stride its own output range. DL4J has no layer with a single
 * trainable scalar.
 */
public final class LevelScale extends FeedForwardLayer {
    private static final long serialVersionUID = 1L;
    /** Parameter key of the scalar. */
    public static final String SCALE = "scale";

    /** Also DL4J's JSON constructor (graph cloning, ParallelWrapper, Spark). */
    public LevelScale() {}

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
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (!(inputType instanceof InputType.InputTypeConvolutional c)) {
            throw new IllegalStateException("LevelScale '" + getLayerName() + "' expects convolutional input, got " + inputType);
        }
        if (nIn <= 0 || override) {
            nIn = c.getChannels();
            nOut = nIn;
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    /** torch's SGD decays every parameter it is given, the Scale's included (mmdetection's default). */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return regularization;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, LevelScale.class, inputType, inputType)
                .standardMemory(1, getUpdaterByParam(SCALE).stateSize(1))
                .workingMemory(0, 0, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LevelScale && super.equals(o);
    }

    @Override
    public int hashCode() {
        return super.hashCode();
    }

    @Override
    public String toString() {
        return "LevelScale(nOut=" + nOut + ", name=" + layerName + ")";
    }

    /** The scalar, a [1] view of the layer's slice of the flat parameter vector. */
    static final class Params extends TensorParams {
        static final Params INSTANCE = new Params();

        @Override
        List<Tensor> tensors(org.deeplearning4j.nn.conf.layers.Layer layer) {
            return List.of(new Tensor(SCALE, new long[] {1}, true));
        }

        @Override
        void initialise(org.deeplearning4j.nn.conf.layers.Layer layer, Map<String, INDArray> views) {
            views.get(SCALE).assign(1);
        }
    }

    /** The layer: y = s·x, dx = s·ε, ds = Σ ε·x. */
    static final class Impl extends org.deeplearning4j.nn.layers.BaseLayer<LevelScale> {
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

        private double scale() {
            return getParam(SCALE).getDouble(0);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            assertInputSet(false);
            INDArray x = input.castTo(dataType);
            return mgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, x.shape(), 'c').assign(x).muli(scale());
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            assertInputSet(true);
            INDArray x = input.castTo(dataType);
            INDArray e = epsilon.castTo(dataType);
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, e.shape(), 'c');
            // Σ ε·x through dx's buffer, before it holds s·ε
            double ds = dx.assign(e).muli(x).sumNumber().doubleValue();
            dx.assign(e).muli(scale());
            Gradient grad = new DefaultGradient();
            grad.setGradientFor(SCALE, gradientViews.get(SCALE).assign(ds));
            return new Pair<>(grad, dx);
        }
    }
}
