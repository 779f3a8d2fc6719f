package io.ranksort4j.detectors.model;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every custom layer's {@code instantiate} does as DL4J's built-in layers do: bind the new layer to its graph slot and parameter views. */
final class LayerWiring {
    private LayerWiring() {}

    static Layer wire(BaseLayer<?> layer, NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int index, INDArray view,
                      boolean init, ParamInitializer params) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(view);
        layer.setParamTable(params.init(conf, view, init));
        layer.setConf(conf);
        return layer;
    }
}
