package io.ranksort4j.detectors.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A custom layer's {@link ParamInitializer} written as the list of its tensors: the keys, counts and views of the
 * layer's slice of the flat parameter vector follow from it, so each layer states only its shapes and first values.
 */
abstract class TensorParams implements ParamInitializer {

    /** One parameter tensor; {@code weight} marks what DL4J counts as a weight (none of ours is a bias). */
    record Tensor(String key, long[] shape, boolean weight) {
        long length() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The layer's tensors, in their order in the flat vector. */
    abstract List<Tensor> tensors(Layer layer);

    /** Writes a fresh layer's first values into its views (by key). */
    abstract void initialise(Layer layer, Map<String, INDArray> views);

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return tensors(layer).stream().mapToLong(Tensor::length).sum();
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return tensors(layer).stream().map(Tensor::key).toList();
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return tensors(layer).stream().filter(Tensor::weight).map(Tensor::key).toList();
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return Collections.emptyList();
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return weightKeys(layer).contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return false;
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray view, boolean initialize) {
        Map<String, INDArray> out = getGradientsFromFlattened(conf, view);
        if (initialize) {
            initialise(conf.getLayer(), out);
        }
        out.keySet().forEach(conf::addVariable);
        return out;
    }

    /** Views of {@code view} (the parameters or their gradient), one per tensor, in the tensors' shapes. */
    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray view) {
        INDArray flat = view.reshape(view.length());
        Map<String, INDArray> out = Collections.synchronizedMap(new LinkedHashMap<>());
        long offset = 0;
        for (Tensor t : tensors(conf.getLayer())) {
            out.put(t.key(), flat.get(NDArrayIndex.interval(offset, offset + t.length())).reshape('c', t.shape()));
            offset += t.length();
        }
        return out;
    }
}
