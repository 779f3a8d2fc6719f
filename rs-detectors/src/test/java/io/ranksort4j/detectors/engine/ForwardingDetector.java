package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.ImageDetections;
import io.ranksort4j.detectors.model.ParamLayout;
import io.ranksort4j.detectors.model.TrainableParams;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A detector that passes every call on: tests override one method to inject a fault. */
class ForwardingDetector implements Detector {
    private final Detector d;

    ForwardingDetector(Detector d) {
        this.d = d;
    }

    @Override
    public INDArray params() {
        return d.params();
    }

    @Override
    public INDArray gradient() {
        return d.gradient();
    }

    @Override
    public ParamLayout paramLayout() {
        return d.paramLayout();
    }

    @Override
    public TrainableParams trainable() {
        return d.trainable();
    }

    @Override
    public HeadLossResult forwardBackward(DetectionBatch batch) {
        return d.forwardBackward(batch);
    }

    @Override
    public double lastLossSeconds() {
        return d.lastLossSeconds();
    }

    @Override
    public Map<String, TrainingState> trainingState() {
        return d.trainingState();
    }

    @Override
    public List<ImageDetections> detect(DetectionBatch batch) {
        return d.detect(batch);
    }
}
