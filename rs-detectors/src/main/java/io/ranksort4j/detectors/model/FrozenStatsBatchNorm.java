package io.ranksort4j.detectors.model;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Batch norm with frozen statistics, mmdetection's {@code norm_eval = True}: in training too the layer normalises
 * with its running mean and variance and never updates them, while γ and β still train. With 2 images per batch,
 * batch statistics of ImageNet-pretrained backbones are noise; the paper's configs freeze them.
 */
public final class FrozenStatsBatchNorm extends BatchNormalization {
    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON (graph cloning); use {@link #of}. */
    public FrozenStatsBatchNorm() {}

    /** The same layer as {@code bn} (eps, decay, ...) with frozen statistics. */
    public static FrozenStatsBatchNorm of(BatchNormalization bn) {
        // DL4J's BatchNormalization has only a private builder constructor: copy what the builder set
        FrozenStatsBatchNorm out = new FrozenStatsBatchNorm();
        for (Class<?> c = BatchNormalization.class; c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    f.set(out, f.get(bn));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot copy BatchNormalization." + f.getName(), e);
                }
            }
        }
        return out;
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index, INDArray view, boolean init,
                             DataType dtype) {
        return LayerWiring.wire(new Impl(conf, dtype), conf, listeners, index, view, init, initializer());
    }

    /** The layer: inference-mode forward always; backward of y = γ·(x − μ)/σ + β with μ, σ constant. */
    static final class Impl extends org.deeplearning4j.nn.layers.normalization.BatchNormalization {
        Impl(NeuralNetConfiguration conf, DataType dtype) {
            super(conf, dtype);
        }

        @Override
        public INDArray activate(boolean training, LayerWorkspaceMgr mgr) {
            return super.activate(false, mgr);
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr mgr) {
            INDArray x = input;
            if (x.rank() != 4) {
                throw new IllegalStateException("frozen-statistics batch norm expects NCHW input, got rank " + x.rank());
            }
            long c = x.size(1);
            double eps = layerConf().getEps();
            INDArray mean = getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).reshape(c);
            INDArray std = Transforms.sqrt(getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).reshape(c).add(eps), false);
            INDArray gamma = getParam(BatchNormalizationParamInitializer.GAMMA).reshape(c);
            INDArray dx = mgr.createUninitialized(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), epsilon.shape(), 'c');
            // dγ = Σ ε·(x − μ)/σ = (Σ ε·x − μ·Σ ε)/σ; dx serves as scratch for ε·x before it is overwritten
            INDArray dBeta = epsilon.sum(0, 2, 3);
            INDArray dGamma = dx.assign(epsilon).muli(x).sum(0, 2, 3).subi(mean.mul(dBeta)).divi(std);
            Broadcast.mul(epsilon, gamma.div(std), dx, 1);
            Gradient g = new DefaultGradient();
            Map<String, INDArray> views = gradientViews;
            g.setGradientFor(BatchNormalizationParamInitializer.GAMMA, views.get(BatchNormalizationParamInitializer.GAMMA).assign(dGamma.reshape(views.get(BatchNormalizationParamInitializer.GAMMA).shape())));
            g.setGradientFor(BatchNormalizationParamInitializer.BETA, views.get(BatchNormalizationParamInitializer.BETA).assign(dBeta.reshape(views.get(BatchNormalizationParamInitializer.BETA).shape())));
            // no moving-average step: the trainer subtracts the statistics' "gradient" as is
            g.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_MEAN, views.get(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(0));
            g.setGradientFor(BatchNormalizationParamInitializer.GLOBAL_VAR, views.get(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(0));
            return new Pair<>(g, dx);
        }
    }
}
