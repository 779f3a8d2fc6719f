package io.ranksort4j.detectors.roi;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.RandomSampler;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * mmdetection's baseline RoI head (Faster / Mask R-CNN): per image a random sample of the RoIs, GT boxes included
 * as proposals (512, a quarter positive); classification on the sample only (softmax over C + 1 with background
 * last, or sigmoid over C), the sampled positives' deltas of their GT class regressed against the encoded GT
 * (L1, reg_decoded_bbox = False) and averaged over the batch's whole sample, as mmdet's BBoxHead.loss does.
 */
public final class SampledRoiLoss implements RoiRecipe {
    private final Assigner assigner;
    private final RandomSampler sampler;
    private final DeltaXywhCoder coder;
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final boolean background;

    public SampledRoiLoss(Assigner assigner, RandomSampler sampler, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box, boolean background) {
        this.assigner = assigner;
        this.sampler = sampler;
        this.coder = coder;
        this.cls = cls;
        this.box = box;
        this.background = background;
    }

    @Override
    public boolean backgroundLogit() {
        return background;
    }

    @Override
    public Output computeWithPositives(List<RoiTrainInputs> images) {
        int width = images.get(0).classes();
        int classes = background ? width - 1 : width;
        int total = images.stream().mapToInt(RoiTrainInputs::rois).sum();
        float[] logits = new float[total * width];
        float[] target = new float[logits.length];
        Arrays.fill(target, -1);
        List<int[]> pos = new ArrayList<>(); // image, RoI, GT
        int[] start = new int[images.size() + 1];
        int sampled = 0;
        for (int i = 0; i < images.size(); i++) {
            RoiTrainInputs im = images.get(i);
            if (im.classes() != width) {
                throw new IllegalArgumentException("RoI inputs: images disagree on the number of classes");
            }
            start[i + 1] = start[i] + im.rois();
            System.arraycopy(im.logits(), 0, logits, start[i] * width, im.logits().length);
            int[] g = im.assign(assigner);
            RandomSampler.Sample s = sampler.sample(g, RandomSampler.randomFor(im.gt().boxes(), im.logits()));
            for (int a : s.positives()) {
                int row = (start[i] + a) * width;
                Arrays.fill(target, row, row + width, 0);
                target[row + im.gt().labels()[g[a] - 1]] = 1;
                pos.add(new int[] {i, a, g[a] - 1});
            }
            for (int a : s.negatives()) {
                int row = (start[i] + a) * width;
                Arrays.fill(target, row, row + width, 0);
                if (background) {
                    target[row + classes] = 1;
                }
            }
            sampled += s.size();
        }
        ClassificationLossResult c = cls.compute(logits, target);
        List<HeadGradients> grads = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            grads.add(new HeadGradients(Arrays.copyOfRange(c.grad(), start[i] * width, start[i + 1] * width),
                    new float[images.get(i).deltas().length], null));
        }
        int n = pos.size();
        float[] weight = new float[n];
        Arrays.fill(weight, 1);
        double boxLoss = 0;
        if (n > 0) {
            float[] pred = new float[4 * n];
            float[] delta = new float[4 * n];
            int[] deltaRow = new int[n];
            float[][] rois = images.stream().map(RoiTrainInputs::roiBoxes).toArray(float[][]::new);
            for (int k = 0; k < n; k++) {
                int[] p = pos.get(k);
                RoiTrainInputs im = images.get(p[0]);
                deltaRow[k] = im.classAgnostic() ? p[1] : p[1] * classes + im.gt().labels()[p[2]];
                System.arraycopy(im.deltas(), 4 * deltaRow[k], pred, 4 * k, 4);
                coder.encode(rois[p[0]], p[1], im.gt().boxes(), p[2], delta, k);
            }
            BoxLossResult b = box.compute(pred, delta, weight, sampled);
            boxLoss = b.loss();
            for (int k = 0; k < n; k++) {
                System.arraycopy(b.grad(), 4 * k, grads.get(pos.get(k)[0]).deltas(), 4 * deltaRow[k], 4);
            }
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        terms.put("loss_cls", c.loss());
        terms.put("loss_bbox", boxLoss);
        terms.put("num_pos", (double) n);
        return new Output(new HeadLossResult(c.loss() + boxLoss, terms, grads), pos, weight);
    }
}
