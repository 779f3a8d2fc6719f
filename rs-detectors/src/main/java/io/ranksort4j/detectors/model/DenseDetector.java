package io.ranksort4j.detectors.model;

import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.head.DenseHeadLoss;
import io.ranksort4j.detectors.head.DensePostProcessor;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLayout;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A one-stage detector: the network, its anchors and output layout for each padded input shape, the training
 * recipe whose gradients are injected into the network's backward pass, and the test pipeline.
 */
public final class DenseDetector implements Detector {
    private final ComputationGraph graph;
    private final FrozenStem stem;
    private final INDArray params;
    private final INDArray gradient;
    private final InjectedLoss bridge;
    private final ShapeCache<HeadLayout> layouts;
    private final DenseHeadLoss loss;
    private final DensePostProcessor post;
    private final List<String> frozenPrefixes;
    private double lossSeconds;
    private INDArray labels;
    private TrainableParams trainable;
    private final TiedLevels tied;

    /**
     * @param layouts gives the output layout (anchors included) of a padded input height and width
     * @param stem    the frozen stages feeding {@code graph}, or null when the graph starts from the image
     */
    public DenseDetector(ComputationGraph graph, FrozenStem stem, InjectedLoss bridge, ShapeCache<HeadLayout> layouts, DenseHeadLoss loss,
                         DensePostProcessor post, List<String> frozenPrefixes, Map<String, String> tiedLayers) {
        if (stem == null) {
            this.graph = graph;
            this.stem = null;
            this.params = graph.params();
            this.gradient = null;
        } else {
            // one vector for the optimiser and checkpoints: the trained graph first, then the stem (never stepped)
            long n = graph.numParams();
            long m = stem.graph().numParams();
            params = Nd4j.create(graph.params().dataType(), n + m);
            gradient = Nd4j.zeros(graph.params().dataType(), n + m);
            this.graph = new ComputationGraph(graph.getConfiguration());
            this.graph.init(params.get(NDArrayIndex.interval(0, n)).assign(graph.params()), false);
            this.stem = stem.rebind(params.get(NDArrayIndex.interval(n, n + m)));
        }
        this.bridge = bridge;
        this.layouts = layouts;
        this.loss = loss;
        this.post = post;
        this.frozenPrefixes = List.copyOf(frozenPrefixes);
        this.tied = TiedLevels.of(this.graph, tiedLayers);
    }

    public ComputationGraph graph() {
        return graph;
    }

    /** The anchors of a padded input height and width. */
    public Anchors anchors(int height, int width) {
        return layouts.get(height, width).anchors();
    }

    public List<String> frozenPrefixes() {
        return frozenPrefixes;
    }

    /** The frozen stages feeding {@link #graph()}, or null. */
    public FrozenStem stem() {
        return stem;
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public INDArray gradient() {
        return stem == null ? graph.gradient().gradient() : gradient;
    }

    @Override
    public TrainableParams trainable() {
        if (trainable == null) {
            TrainableParams t = TrainableParams.of(graph, frozenPrefixes);
            // the stem's parameters follow the trained graph's and are never stepped
            trainable = tied.untrainCopies(t.extendedTo(params.length()));
        }
        return trainable;
    }

    private INDArray input(INDArray images) {
        return stem == null ? images : stem.forward(images);
    }

    @Override
    public HeadLossResult forwardBackward(DetectionBatch batch) {
        return forwardBackward(batch.images(), batch.targets());
    }

    /** Forward and backward on one batch; the parameter gradient is left in {@code graph().gradient()}. */
    public HeadLossResult forwardBackward(INDArray images, List<GroundTruth> targets) {
        HeadLayout layout = layoutOf(images);
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
        tied.sync(params);
        graph.setInputs(input(images));
        if (labels == null || labels.size(0) != images.size(0) || labels.size(1) != layout.width()) {
            labels = Nd4j.zeros(images.dataType(), images.size(0), layout.width()); // unused by InjectedLoss, but DL4J wants them
        }
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        if (stem != null) {
            gradient.get(NDArrayIndex.interval(0, graph.numParams())).assign(graph.gradient().gradient());
        }
        tied.collect(gradient());
        return out[0];
    }

    @Override
    public double lastLossSeconds() {
        return lossSeconds;
    }

    @Override
    public ParamLayout paramLayout() {
        List<Map.Entry<String, Model>> nets = new ArrayList<>(List.of(Map.entry("", graph)));
        if (stem != null) {
            // the frozen stages keep their layer names: a checkpoint's names do not depend on frozen_stages
            nets.add(Map.entry("", stem.graph()));
        }
        return ParamLayout.of(params, nets);
    }

    @Override
    public Map<String, TrainingState> trainingState() {
        return loss.trainingState();
    }

    /** Raw head outputs of a batch (inference mode). */
    public List<HeadOutputs> outputs(INDArray images) {
        HeadLayout layout = layoutOf(images);
        tied.sync(params);
        float[][] rows = graph.outputSingle(false, input(images)).toFloatMatrix();
        List<HeadOutputs> outs = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            outs.add(layout.split(row));
        }
        return outs;
    }

    @Override
    public List<ImageDetections> detect(DetectionBatch batch) {
        Anchors anchors = layoutOf(batch.images()).anchors();
        List<HeadOutputs> outs = outputs(batch.images());
        List<ImageDetections> dets = new ArrayList<>(outs.size());
        for (int i = 0; i < outs.size(); i++) {
            // clipped to the resized image; Inference maps to the original frame (x and y scales differ)
            dets.add(ImageDetections.boxes(post.detect(outs.get(i), anchors, batch.metas().get(i).width(), batch.metas().get(i).height(), 1.0)));
        }
        return dets;
    }

    private HeadLayout layoutOf(INDArray images) {
        return layouts.get((int) images.size(2), (int) images.size(3));
    }
}
