package io.ranksort4j.detectors.model;

import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.DenseHeadLoss;
import io.ranksort4j.detectors.head.DensePostProcessor;
import io.ranksort4j.detectors.head.HeadLayout;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;

/** A configured one-stage detector (RS-ATSS, ATSS, RetinaNet, aLRP) before its weights exist. */
public record DenseBlueprint(String type, DenseDetectorParams params, DenseHeadLoss loss) implements DetectorBlueprint {
    @Override
    public int numClasses() {
        return params.numClasses();
    }

    @Override
    public List<Integer> inputSize() {
        return params.inputSize();
    }

    public DeltaXywhCoder coder() {
        return coder(params);
    }

    public static DeltaXywhCoder coder(DenseDetectorParams p) {
        return new DeltaXywhCoder(p.bboxStds().stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Override
    public DenseDetector build(long seed) {
        return build(seed, true);
    }

    /**
     * @param splitFrozen run the frozen stages as a separate {@link FrozenStem} (as {@link #build(long)}); false
     *                    keeps one graph from the image, for trainers that drive the graph themselves (DL4J's fit)
     */
    public DenseDetector build(long seed, boolean splitFrozen) {
        DenseDetectorParams p = params;
        AnchorGenerator gen = new AnchorGenerator(p.anchor());
        InjectedLoss bridge = new InjectedLoss();
        boolean ctr = loss.usesCenterness();
        DetectorNetwork.Built net = DetectorNetwork.build(p.buildHeight(), p.buildWidth(), p.numClasses(), gen.perLocation(), p.backbone(), p.neck(),
                p.head(), ctr, bridge, seed, DataType.FLOAT, splitFrozen);
        if (!p.backbone().pretrained().isEmpty()) {
            TorchResNetWeights.loadPretrained(net.backbone(), p.backbone().pretrained());
        }
        InjectedLoss live = (InjectedLoss) ((org.deeplearning4j.nn.conf.layers.LossLayer) net.graph().getOutputLayer(0).conf().getLayer()).getLossFn();
        ShapeCache<HeadLayout> layouts = new ShapeCache<>((h, w) ->
                new HeadLayout(p.numClasses(), gen.generate(AnchorGenerator.featureSizes(h, w, p.anchor().strides())), ctr));
        return new DenseDetector(net.graph(), net.stem(), live, layouts, loss,
                new DensePostProcessor(p.test(), coder()), net.frozenPrefixes(), net.tied());
    }
}
