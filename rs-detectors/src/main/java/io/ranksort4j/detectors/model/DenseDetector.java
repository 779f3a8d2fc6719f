package io.ranksort4j.detectors.model;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.head.DenseHeadLoss;
import io.ranksort4j.detectors.head.DensePostProcessor;
import io.ranksort4j.detectors.head.Detection;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLayout;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A one-stage detector: the network, its anchors and output layout, the training recipe whose gradients are
 * injected into the network's backward pass, and the test pipeline.
 */
public final class DenseDetector implements Detector {
    private final ComputationGraph graph;
    private final InjectedLoss bridge;
    private final HeadLayout layout;
    private final DenseHeadLoss loss;
    private final DensePostProcessor post;
    private final List<String> frozenPrefixes;
    private double lossSeconds;
    private INDArray labels;
    private TrainableParams trainable;

    public DenseDetector(ComputationGraph graph, InjectedLoss bridge, HeadLayout layout, DenseHeadLoss loss, DensePostProcessor post,
                         List<String> frozenPrefixes) {
        this.graph = graph;
        this.bridge = bridge;
        this.layout = layout;
        this.loss = loss;
        this.post = post;
        this.frozenPrefixes = List.copyOf(frozenPrefixes);
    }

    public ComputationGraph graph() {
        return graph;
    }

    public Anchors anchors() {
        return layout.anchors();
    }

    public List<String> frozenPrefixes() {
        return frozenPrefixes;
    }

    @Override
    public INDArray params() {
        return graph.params();
    }

    @Override
    public INDArray gradient() {
        return graph.gradient().gradient();
    }

    @Override
    public TrainableParams trainable() {
        if (trainable == null) {
            trainable = TrainableParams.of(graph, frozenPrefixes);
        }
        return trainable;
    }

    @Override
    public HeadLossResult forwardBackward(DetectionBatch batch) {
        return forwardBackward(batch.images(), batch.targets());
    }

    /** Forward and backward on one batch; the parameter gradient is left in {@code graph().gradient()}. */
    public HeadLossResult forwardBackward(INDArray images, List<GroundTruth> targets) {
        HeadLossResult[] out = new HeadLossResult[1];
        bridge.begin(rows -> {
            List<HeadOutputs> outs = new ArrayList<>(rows.length);
            for (float[] row : rows) {
                outs.add(layout.split(row));
            }
            long t0 = System.nanoTime();
            HeadLossResult r = loss.compute(outs, targets, layout.anchors());
            lossSeconds = (System.nanoTime() - t0) / 1e9;
            float[][] grad = new float[rows.length][];
            for (int i = 0; i < rows.length; i++) {
                HeadGradients g = r.grads().get(i);
                grad[i] = layout.join(g.logits(), g.deltas(), g.centerness());
            }
            out[0] = r;
            return new InjectedLoss.Result(r.loss(), grad);
        });
        graph.setInputs(images);
        if (labels == null || labels.size(0) != images.size(0)) {
            labels = Nd4j.zeros(images.dataType(), images.size(0), layout.width()); // unused by InjectedLoss, but DL4J wants them
        }
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        return out[0];
    }

    @Override
    public double lastLossSeconds() {
        return lossSeconds;
    }

    /** Raw head outputs of a batch (inference mode). */
    public List<HeadOutputs> outputs(INDArray images) {
        float[][] rows = graph.outputSingle(false, images).toFloatMatrix();
        List<HeadOutputs> outs = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            outs.add(layout.split(row));
        }
        return outs;
    }

    /** Detections of one image's outputs, in original image coordinates. */
    public List<Detection> detect(HeadOutputs out, int imgW, int imgH, double scale) {
        return post.detect(out, layout.anchors(), imgW, imgH, scale);
    }

    @Override
    public List<ImageDetections> detect(DetectionBatch batch) {
        List<HeadOutputs> outs = outputs(batch.images());
        List<ImageDetections> dets = new ArrayList<>(outs.size());
        for (int i = 0; i < outs.size(); i++) {
            // clipped to the resized image; Inference maps to the original frame (x and y scales differ)
            dets.add(ImageDetections.boxes(detect(outs.get(i), batch.metas().get(i).width(), batch.metas().get(i).height(), 1.0)));
        }
        return dets;
    }
}
