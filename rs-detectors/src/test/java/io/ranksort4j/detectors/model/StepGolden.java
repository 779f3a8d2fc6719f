package io.ranksort4j.detectors.model;

import io.ranksort4j.core.weights.NpzFiles;
import io.ranksort4j.core.weights.TorchTensor;
import io.ranksort4j.detectors.head.GroundTruth;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A step-parity golden file written by {@code src/test/python/*_step_golden.py}: {@code weight.*} and {@code grad.*}
 * tensors (the backbone under torchvision's names behind {@code backbone.}), {@code loss.*} scalars, and the input
 * image with its boxes and labels.
 */
record StepGolden(Map<String, TorchTensor> tensors) {
    static StepGolden load(String resource) throws Exception {
        Map<String, TorchTensor> m = new LinkedHashMap<>();
        NpzFiles.read(Path.of(StepGolden.class.getResource(resource).toURI())).forEach(t -> m.put(t.name(), t));
        return new StepGolden(m);
    }

    static INDArray array(TorchTensor t) {
        return Nd4j.create(t.toFloats(), t.shape(), 'c');
    }

    TorchTensor get(String name) {
        return tensors.get(name);
    }

    double scalar(String name) {
        return tensors.get(name).toFloats()[0];
    }

    /** The backbone's weights by torchvision name, for {@link TorchResNetWeights#load}. */
    Map<String, INDArray> backboneWeights() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        tensors.forEach((k, t) -> {
            if (k.startsWith("weight.backbone.")) {
                out.put(k.substring("weight.backbone.".length()), array(t));
            }
        });
        return out;
    }

    INDArray image() {
        return array(tensors.get("input.image"));
    }

    /** The image's boxes and labels, the image filling the whole input (no padding). */
    GroundTruth groundTruth() {
        float[] labels = tensors.get("input.labels").toFloats();
        int[] cls = new int[labels.length];
        for (int i = 0; i < cls.length; i++) {
            cls[i] = Math.round(labels[i]);
        }
        long[] shape = tensors.get("input.image").shape();
        return new GroundTruth(tensors.get("input.boxes").toFloats(), cls, null, (int) shape[3], (int) shape[2]);
    }
}
