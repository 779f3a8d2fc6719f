package io.ranksort4j.detectors.rcnn;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.core.loss.Loss;
import io.ranksort4j.core.loss.box.DiceLoss;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.Detection;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLayout;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.FrozenStem;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.ImageDetections;
import io.ranksort4j.detectors.model.InjectedLoss;
import io.ranksort4j.detectors.model.ParamLayout;
import io.ranksort4j.detectors.model.ShapeCache;
import io.ranksort4j.detectors.model.TiedLevels;
import io.ranksort4j.detectors.model.TrainableParams;
import io.ranksort4j.detectors.roi.RoiBoxPostProcessor;
import io.ranksort4j.detectors.roi.RoiFeatures;
import io.ranksort4j.detectors.roi.RoiTrainInputs;
import io.ranksort4j.detectors.roi.RoiRecipe;
import io.ranksort4j.detectors.rpn.ProposalGenerator;
import io.ranksort4j.detectors.rpn.Proposals;
import io.ranksort4j.detectors.rpn.RpnRecipe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A two-stage detector (RS-Faster R-CNN, RS-Cascade R-CNN, RS-Mask R-CNN): the trunk network (ResNet, FPN, RPN
 * heads) whose single output row per image carries the RPN outputs and the P2–P5 maps, and RoI heads as networks of
 * their own. Inside the trunk's injected loss, in Java: the RPN recipe, proposals (detached), RoIAlign, each
 * stage's box head forward, RS loss and backward, the mask head's Dice loss, and RoIAlign's backward into the
 * maps' gradient; DL4J then back-propagates the row gradient through FPN and backbone. All networks' parameters
 * live in one vector.
 */
public final class TwoStageDetector implements Detector {
    /** The trained parts; built by {@link RcnnBlueprint}. */
    record Parts(ComputationGraph trunk, FrozenStem stem, List<String> frozen, Map<String, String> tiedRpn, ShapeCache<HeadLayout> rpnLayouts, RpnRecipe rpnLoss,
                 ProposalGenerator trainProposals, ProposalGenerator testProposals, RoiFeatures boxFeatures, List<HeadNet> boxHeads,
                 List<RoiRecipe> stageLosses, List<DeltaXywhCoder> coders, RoiFeatures maskFeatures, HeadNet maskHead, Loss maskLoss) {}

    private static final int[] STRIDES = {4, 8, 16, 32};

    private final RcnnParams p;
    private final Parts parts;
    /** Class logits per RoI: C, or C + 1 when the heads have a background logit (softmax). */
    private final int logitWidth;
    private final ComputationGraph trunk;
    /** The frozen backbone stages feeding the trunk, or null. */
    private final FrozenStem stem;
    private final InjectedLoss bridge;
    private final RoiBoxPostProcessor post;
    private final INDArray params;
    private final INDArray gradient;
    private final long[] offsets;
    private final TrainableParams trainable;
    private final TiedLevels tiedRpn;
    private double lossSeconds;
    private INDArray labels;

    TwoStageDetector(RcnnParams p, Parts parts) {
        this.p = p;
        this.parts = parts;
        boolean background = parts.stageLosses().get(0).backgroundLogit();
        if (parts.stageLosses().stream().anyMatch(r -> r.backgroundLogit() != background)) {
            throw new IllegalArgumentException("the cascade's stages must all be softmax or all sigmoid heads");
        }
        this.logitWidth = p.numClasses() + (background ? 1 : 0);
        this.post = new RoiBoxPostProcessor(new RoiBoxPostProcessor.Params((float) p.test().scoreThr(), p.test().nmsIou(), p.test().maxPerImg(),
                p.roi().classAgnostic(), background), parts.coders().get(parts.coders().size() - 1));
        List<HeadNet> heads = heads();
        offsets = new long[heads.size() + 2];
        offsets[1] = parts.trunk().numParams();
        for (int i = 0; i < heads.size(); i++) {
            offsets[i + 2] = offsets[i + 1] + heads.get(i).numParams();
        }
        long headsEnd = offsets[offsets.length - 1];
        long total = headsEnd + (parts.stem() == null ? 0 : parts.stem().graph().numParams());
        INDArray trunkParams = parts.trunk().params();
        params = Nd4j.create(trunkParams.dataType(), total);
        gradient = Nd4j.create(trunkParams.dataType(), total);
        // each network was initialised (seeded) on its own vector; rebuilt on a view of the shared one, weights copied in
        trunk = new ComputationGraph(parts.trunk().getConfiguration());
        trunk.init(slice(params, 0).assign(trunkParams), false);
        bridge = (InjectedLoss) ((org.deeplearning4j.nn.conf.layers.LossLayer) trunk.getOutputLayer(0).conf().getLayer()).getLossFn();
        for (int i = 0; i < heads.size(); i++) {
            heads.get(i).bindParams(slice(params, i + 1));
        }
        // the stem, never stepped, sits after everything trained
        stem = parts.stem() == null ? null : parts.stem().rebind(params.get(NDArrayIndex.interval(headsEnd, total)));
        // the trunk's own spans, every RoI head's parameters, and not the stem
        TrainableParams t = TrainableParams.of(parts.trunk(), parts.frozen()).extendedTo(total).withTrained(new TrainableParams.Span(offsets[1], headsEnd));
        tiedRpn = TiedLevels.of(trunk, parts.tiedRpn());
        trainable = tiedRpn.untrainCopies(t);
    }

    @Override
    public ParamLayout paramLayout() {
        List<Map.Entry<String, Model>> nets = new ArrayList<>(List.of(Map.entry("", trunk)));
        List<HeadNet> boxHeads = parts.boxHeads();
        for (int i = 0; i < boxHeads.size(); i++) {
            nets.add(Map.entry(boxHeads.size() == 1 ? "box_head." : "box_head_stage" + (i + 1) + ".", boxHeads.get(i).network()));
        }
        if (parts.maskHead() != null) {
            nets.add(Map.entry("mask_head.", parts.maskHead().network()));
        }
        if (stem != null) {
            nets.add(Map.entry("", stem.graph()));
        }
        return ParamLayout.of(params, nets);
    }

    private List<HeadNet> heads() {
        List<HeadNet> h = new ArrayList<>(parts.boxHeads());
        if (parts.maskHead() != null) {
            h.add(parts.maskHead());
        }
        return h;
    }

    private INDArray slice(INDArray flat, int part) {
        return flat.get(NDArrayIndex.interval(offsets[part], offsets[part + 1]));
    }

    public ComputationGraph trunk() {
        return trunk;
    }

    @Override
    public INDArray params() {
        return params;
    }

    @Override
    public INDArray gradient() {
        return gradient;
    }

    @Override
    public TrainableParams trainable() {
        return trainable;
    }

    @Override
    public double lastLossSeconds() {
        return lossSeconds;
    }

    @Override
    public HeadLossResult forwardBackward(DetectionBatch batch) {
        List<GroundTruth> gts = batch.targets();
        int[][] sizes = sizes(batch);
        Frame f = frame(batch.images());
        HeadLossResult[] out = new HeadLossResult[1];
        List<HeadNet> heads = heads();
        heads.forEach(HeadNet::clear);
        bridge.begin(rows -> {
            long t0 = System.nanoTime();
            // DL4J refuses to run a network while another's workspaces are open on the thread, as the trunk's are
            // inside its backward pass; workspaces are per thread, so the heads run on their own
            Step s = onHeadThread(() -> train(f, rows, gts, sizes));
            lossSeconds = (System.nanoTime() - t0) / 1e9;
            out[0] = s.result;
            return new InjectedLoss.Result(s.result.loss(), s.rowGrads);
        });
        tiedRpn.sync(params);
        trunk.setInputs(input(batch.images()));
        if (labels == null || labels.size(0) != batch.images().size(0) || labels.size(1) != f.rowWidth(p.fpnChannels())) {
            labels = Nd4j.zeros(batch.images().dataType(), batch.images().size(0), f.rowWidth(p.fpnChannels())); // unused by InjectedLoss
        }
        trunk.setLabels(labels);
        trunk.computeGradientAndScore();
        slice(gradient, 0).assign(trunk.gradient().gradient());
        tiedRpn.collect(gradient);
        for (int i = 0; i < heads.size(); i++) {
            INDArray g = heads.get(i).gradient();
            if (g == null) {
                slice(gradient, i + 1).assign(0);
            } else {
                slice(gradient, i + 1).assign(g);
            }
        }
        return out[0];
    }

    private record Step(HeadLossResult result, float[][] rowGrads) {}

    /** A batch's padded input shape, its RPN layout (anchors included) and the P2–P5 map sizes in its output row. */
    private record Frame(int height, int width, HeadLayout rpn) {
        int[] mapSize(int stride) {
            return new int[] {ceil(height, stride), ceil(width, stride)};
        }

        int rowWidth(int channels) {
            int w = rpn.width();
            for (int stride : STRIDES) {
                int[] hw = mapSize(stride);
                w += channels * hw[0] * hw[1];
            }
            return w;
        }
    }

    private INDArray input(INDArray images) {
        return stem == null ? images : stem.forward(images);
    }

    private Frame frame(INDArray images) {
        int h = (int) images.size(2);
        int w = (int) images.size(3);
        return new Frame(h, w, parts.rpnLayouts().get(h, w));
    }

    private static final java.util.concurrent.ExecutorService HEAD_THREAD = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "rcnn-heads");
        t.setDaemon(true);
        return t;
    });

    private static <T> T onHeadThread(java.util.concurrent.Callable<T> task) {
        try {
            return HEAD_THREAD.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the RoI heads ran", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Step train(Frame f, float[][] rows, List<GroundTruth> gts, int[][] sizes) {
        int n = rows.length;
        int classes = p.numClasses();
        int lw = logitWidth;
        List<HeadOutputs> rpnOuts = new ArrayList<>(n);
        for (float[] row : rows) {
            rpnOuts.add(f.rpn().split(row));
        }
        RoiFeatures.Maps maps = maps(f, rows);
        float[][] mapGrads = new float[STRIDES.length][];
        for (int l = 0; l < STRIDES.length; l++) {
            mapGrads[l] = new float[maps.levels()[l].length];
        }
        HeadLossResult rpn = parts.rpnLoss().compute(rpnOuts, gts, f.rpn().anchors());
        Map<String, Double> terms = new LinkedHashMap<>();
        rpn.terms().forEach((k, v) -> terms.put(k.startsWith("loss_") ? k : "rpn_" + k, v));
        double total = rpn.loss();
        List<float[]> proposals = new ArrayList<>(n);
        for (Proposals pr : parts.trainProposals().generate(rpnOuts, f.rpn().anchors(), sizes)) {
            proposals.add(pr.boxes());
        }
        int stages = p.roi().stages();
        for (int s = 0; s < stages; s++) {
            List<RoiTrainInputs> inputs = new ArrayList<>(n);
            float[] rois = new float[0];
            int[] start = new int[n + 1];
            List<float[]> roiBoxes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] b = concat(proposals.get(i), gts.get(i).boxes());
                roiBoxes.add(b);
                start[i + 1] = start[i] + b.length / 4;
            }
            int k = start[n];
            rois = rois5(roiBoxes, k);
            float[] pooled = parts.boxFeatures().forward(maps, rois, k);
            HeadNet head = parts.boxHeads().get(s);
            float[] out = head.forward(pooled, k);
            int reg = p.roi().classAgnostic() ? 4 : 4 * classes;
            int width = lw + reg;
            for (int i = 0; i < n; i++) {
                int r = start[i + 1] - start[i];
                float[] logits = new float[r * lw];
                float[] deltas = new float[r * reg];
                for (int j = 0; j < r; j++) {
                    System.arraycopy(out, (start[i] + j) * width, logits, j * lw, lw);
                    System.arraycopy(out, (start[i] + j) * width + lw, deltas, j * reg, reg);
                }
                inputs.add(new RoiTrainInputs(proposals.get(i), logits, deltas, gts.get(i)));
            }
            RoiRecipe.Output o = parts.stageLosses().get(s).computeWithPositives(inputs);
            double w = p.roi().stageWeights().get(s);
            String prefix = stages == 1 ? "roi" : "s" + s;
            o.result().terms().forEach((key, v) -> terms.put(key.startsWith("loss_") ? "loss_" + prefix + "_" + key.substring(5) : prefix + "_" + key,
                    key.startsWith("loss_") ? w * v : v));
            total += w * o.result().loss();
            float[] gradOut = new float[out.length];
            for (int i = 0; i < n; i++) {
                HeadGradients g = o.result().grads().get(i);
                for (int j = 0; j < start[i + 1] - start[i]; j++) {
                    int row = (start[i] + j) * width;
                    for (int c = 0; c < lw; c++) {
                        gradOut[row + c] = (float) (w * g.logits()[j * lw + c]);
                    }
                    for (int c = 0; c < reg; c++) {
                        gradOut[row + lw + c] = (float) (w * g.deltas()[j * reg + c]);
                    }
                }
            }
            parts.boxFeatures().backward(maps, rois, k, head.backward(gradOut, k), mapGrads);
            if (parts.maskHead() != null && s == stages - 1) {
                // the stage's classification loss (L_RS for RS recipes), which a Dice mask loss is balanced against
                double cls = o.result().loss() - o.result().terms().getOrDefault("loss_bbox", 0.0);
                total += maskStep(o, roiBoxes, gts, maps, mapGrads, cls, terms);
            }
            if (s < stages - 1) {
                proposals = refine(inputs, roiBoxes, parts.coders().get(s), sizes);
            }
        }
        float[][] rowGrads = new float[n][];
        for (int i = 0; i < n; i++) {
            HeadGradients g = rpn.grads().get(i);
            float[] rg = f.rpn().join(g.logits(), g.deltas(), null);
            float[] row = Arrays.copyOf(rg, rows[i].length);
            int o = rg.length;
            for (int l = 0; l < STRIDES.length; l++) {
                int per = maps.levels()[l].length / n;
                System.arraycopy(mapGrads[l], i * per, row, o, per);
                o += per;
            }
            rowGrads[i] = row;
        }
        return new Step(new HeadLossResult(total, terms, rpn.grads()), rowGrads);
    }

    /**
     * The mask loss on at most max_masks positives; returns its value. Dice (RS-Mask R-CNN) weights each mask by its
     * RoI's box weight and is rescaled by its own λ = L_cls / L_mask; BCE (Mask R-CNN) is the plain per-pixel mean.
     */
    private double maskStep(RoiRecipe.Output o, List<float[]> roiBoxes, List<GroundTruth> gts,
                            RoiFeatures.Maps maps, float[][] mapGrads, double clsLoss, Map<String, Double> terms) {
        List<int[]> pos = o.positives();
        int[] chosen = java.util.stream.IntStream.range(0, pos.size()).toArray();
        if (chosen.length > p.mask().maxMasks()) {
            // mmdet subsamples at random; seeded by the batch's boxes so a run (and its resume) repeats itself
            long seed = 17;
            for (GroundTruth g : gts) {
                seed = seed * 31 + Arrays.hashCode(g.boxes());
            }
            List<Integer> idx = new ArrayList<>();
            for (int i : chosen) {
                idx.add(i);
            }
            java.util.Collections.shuffle(idx, new Random(seed));
            chosen = idx.subList(0, p.mask().maxMasks()).stream().mapToInt(Integer::intValue).sorted().toArray();
        }
        int k = chosen.length;
        terms.put("loss_mask", 0.0);
        if (k == 0) {
            return 0;
        }
        int size = p.mask().maskSize();
        int pix = size * size;
        int classes = p.numClasses();
        float[] rois = new float[5 * k];
        float[] targets = new float[k * pix];
        float[] weights = new float[k];
        int[] label = new int[k];
        double wsum = 0;
        for (int q = 0; q < k; q++) {
            int[] ps = pos.get(chosen[q]);
            rois[5 * q] = ps[0];
            System.arraycopy(roiBoxes.get(ps[0]), 4 * ps[1], rois, 5 * q + 1, 4);
            System.arraycopy(MaskTargets.of(gts.get(ps[0]), ps[2], rois, 5 * q + 1, size), 0, targets, q * pix, pix);
            weights[q] = o.weights()[chosen[q]];
            wsum += weights[q];
            label[q] = gts.get(ps[0]).labels()[ps[2]];
        }
        float[] pooled = parts.maskFeatures().forward(maps, rois, k);
        float[] out = parts.maskHead().forward(pooled, k);
        float[] logits = new float[k * pix];
        for (int q = 0; q < k; q++) {
            System.arraycopy(out, (q * classes + label[q]) * pix, logits, q * pix, pix);
        }
        double loss;
        float[] grad;
        if (parts.maskLoss() instanceof DiceLoss dice) {
            DiceLoss.Result d = dice.compute(logits, targets, pix, weights, wsum < 1e-12 ? 1 : wsum);
            double lambda = d.loss() > 0 ? clsLoss / d.loss() : 0;
            loss = lambda * d.loss();
            grad = d.grad();
            for (int i = 0; i < grad.length; i++) {
                grad[i] = (float) (lambda * grad[i]);
            }
            terms.put("mask_lambda", lambda);
        } else {
            ClassificationLossResult c = ((ClassificationLoss) parts.maskLoss()).compute(logits, targets);
            loss = c.loss();
            grad = c.grad();
        }
        float[] gradOut = new float[out.length];
        for (int q = 0; q < k; q++) {
            System.arraycopy(grad, q * pix, gradOut, (q * classes + label[q]) * pix, pix);
        }
        parts.maskFeatures().backward(maps, rois, k, parts.maskHead().backward(gradOut, k), mapGrads);
        terms.put("loss_mask", loss);
        terms.put("num_masks", (double) k);
        return loss;
    }

    /**
     * mmdetection's refine_bboxes: each image's proposals (its GT RoIs dropped) decoded with the stage's deltas,
     * class-agnostic or of the best class, and clipped to the image; detached, they are the next stage's proposals.
     */
    private List<float[]> refine(List<RoiTrainInputs> inputs, List<float[]> roiBoxes, DeltaXywhCoder coder, int[][] sizes) {
        List<float[]> next = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            RoiTrainInputs in = inputs.get(i);
            int r = in.proposals().length / 4;
            next.add(decode(roiBoxes.get(i), r, in.logits(), in.deltas(), coder, sizes[i][1], sizes[i][0]));
        }
        return next;
    }

    /** Decodes each RoI's deltas, class-agnostic or of its best class (the background logit never counts). */
    private float[] decode(float[] rois, int r, float[] logits, float[] deltas, DeltaXywhCoder coder, int w, int h) {
        float[] out = new float[4 * r];
        int classes = p.numClasses();
        boolean agnostic = p.roi().classAgnostic();
        for (int j = 0; j < r; j++) {
            int row = j;
            if (!agnostic) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits[j * logitWidth + c] > logits[j * logitWidth + best]) {
                        best = c;
                    }
                }
                row = j * classes + best;
            }
            coder.decode(rois, j, deltas, row, out, j, w, h);
        }
        return out;
    }

    @Override
    public List<ImageDetections> detect(DetectionBatch batch) {
        int[][] sizes = sizes(batch);
        Frame f = frame(batch.images());
        float[][] rows;
        tiedRpn.sync(params);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            rows = trunk.outputSingle(false, input(batch.images())).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT).toFloatMatrix();
        }
        int n = rows.length;
        int classes = p.numClasses();
        RoiFeatures.Maps maps = maps(f, rows);
        List<float[]> roiBoxes = new ArrayList<>(n);
        int[] start = new int[n + 1];
        for (int i = 0; i < n; i++) {
            HeadOutputs rpn = f.rpn().split(rows[i]);
            roiBoxes.add(parts.testProposals().generate(rpn.logits(), rpn.deltas(), f.rpn().anchors(), sizes[i][1], sizes[i][0]).boxes());
            start[i + 1] = start[i] + roiBoxes.get(i).length / 4;
        }
        int k = start[n];
        int reg = p.roi().classAgnostic() ? 4 : 4 * classes;
        int lw = logitWidth;
        int width = lw + reg;
        List<float[]> stageLogits = new ArrayList<>();
        float[] out = new float[0];
        for (int s = 0; s < p.roi().stages(); s++) {
            out = k == 0 ? new float[0] : parts.boxHeads().get(s).output(parts.boxFeatures().forward(maps, rois5(roiBoxes, k), k), k);
            float[] logits = new float[k * lw];
            for (int j = 0; j < k; j++) {
                System.arraycopy(out, j * width, logits, j * lw, lw);
            }
            stageLogits.add(logits);
            if (s < p.roi().stages() - 1) {
                for (int i = 0; i < n; i++) {
                    int r = start[i + 1] - start[i];
                    roiBoxes.set(i, decode(roiBoxes.get(i), r, Arrays.copyOfRange(logits, start[i] * lw, start[i + 1] * lw),
                            deltasOf(out, start[i], r, lw, reg), parts.coders().get(s), sizes[i][1], sizes[i][0]));
                }
            }
        }
        float[] logits = stageLogits.size() == 1 ? stageLogits.get(0) : RoiBoxPostProcessor.averageLogits(stageLogits);
        List<List<Detection>> dets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int r = start[i + 1] - start[i];
            dets.add(post.process(roiBoxes.get(i), Arrays.copyOfRange(logits, start[i] * lw, start[i + 1] * lw),
                    deltasOf(out, start[i], r, lw, reg), classes, sizes[i][1], sizes[i][0], 1f, 1f));
        }
        return parts.maskHead() == null ? dets.stream().map(ImageDetections::boxes).toList() : withMasks(dets, maps);
    }

    private static float[] deltasOf(float[] out, int from, int r, int logitWidth, int reg) {
        float[] d = new float[r * reg];
        for (int j = 0; j < r; j++) {
            System.arraycopy(out, (from + j) * (logitWidth + reg) + logitWidth, d, j * reg, reg);
        }
        return d;
    }

    /** The mask head on the final boxes: each detection's class mask as probabilities. */
    private List<ImageDetections> withMasks(List<List<Detection>> dets, RoiFeatures.Maps maps) {
        int k = dets.stream().mapToInt(List::size).sum();
        float[] rois = new float[5 * k];
        int q = 0;
        for (int i = 0; i < dets.size(); i++) {
            for (Detection d : dets.get(i)) {
                rois[5 * q] = i;
                rois[5 * q + 1] = d.x1();
                rois[5 * q + 2] = d.y1();
                rois[5 * q + 3] = d.x2();
                rois[5 * q + 4] = d.y2();
                q++;
            }
        }
        int size = p.mask().maskSize();
        int pix = size * size;
        float[] out = k == 0 ? new float[0] : parts.maskHead().output(parts.maskFeatures().forward(maps, rois, k), k);
        List<ImageDetections> res = new ArrayList<>(dets.size());
        q = 0;
        for (List<Detection> ds : dets) {
            List<float[]> masks = new ArrayList<>(ds.size());
            for (Detection d : ds) {
                float[] m = new float[pix];
                int o = (q * p.numClasses() + d.label()) * pix;
                for (int i = 0; i < pix; i++) {
                    m[i] = (float) (1 / (1 + Math.exp(-out[o + i])));
                }
                masks.add(m);
                q++;
            }
            res.add(new ImageDetections(ds, masks, size));
        }
        return res;
    }

    /** Each image's {height, width} in the resized frame (what proposals and boxes are clipped to). */
    private int[][] sizes(DetectionBatch b) {
        int n = (int) b.images().size(0);
        int[][] s = new int[n][];
        for (int i = 0; i < n; i++) {
            s[i] = b.metas() == null ? new int[] {(int) b.images().size(2), (int) b.images().size(3)}
                    : new int[] {b.metas().get(i).height(), b.metas().get(i).width()};
        }
        return s;
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    /** The P2–P5 maps of a batch, cut out of the trunk's output rows. */
    private RoiFeatures.Maps maps(Frame f, float[][] rows) {
        int n = rows.length;
        int c = p.fpnChannels();
        float[][] levels = new float[STRIDES.length][];
        int[][] hw = new int[STRIDES.length][];
        int o = f.rpn().width();
        for (int l = 0; l < STRIDES.length; l++) {
            hw[l] = f.mapSize(STRIDES[l]);
            int per = c * hw[l][0] * hw[l][1];
            levels[l] = new float[n * per];
            for (int i = 0; i < n; i++) {
                System.arraycopy(rows[i], o, levels[l], i * per, per);
            }
            o += per;
        }
        return new RoiFeatures.Maps(levels, n, c, hw);
    }

    private static float[] rois5(List<float[]> boxes, int k) {
        float[] rois = new float[5 * k];
        int q = 0;
        for (int i = 0; i < boxes.size(); i++) {
            float[] b = boxes.get(i);
            for (int j = 0; j < b.length / 4; j++, q++) {
                rois[5 * q] = i;
                System.arraycopy(b, 4 * j, rois, 5 * q + 1, 4);
            }
        }
        return rois;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** The strides of the maps RoIs are pooled from. */
    static int[] roiStrides() {
        return STRIDES.clone();
    }
}
