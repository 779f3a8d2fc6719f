package io.ranksort4j.detectors.roi;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.core.loss.box.GiouLoss;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.assign.MaxIouAssigner;
import io.ranksort4j.detectors.box.Boxes;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RS-Faster R-CNN's RoI-head recipe (docs/losses.md §7): all RoIs, GT boxes included as proposals, are trained (no
 * sampling); one RS loss ranks the batch's RoI × class logits with the IoU of each positive's detached decoded
 * box (its GT class's deltas, reg_decoded_bbox) as sorting target, and GIoU on those boxes, weighted by the
 * max class score, is rescaled by λ = L_RS / L_box.
 */
public final class RsRoiLoss implements RoiRecipe {
    private final Assigner assigner;
    private final DeltaXywhCoder coder;
    private final ClassificationLoss cls;
    private final BoxLoss box;

    public RsRoiLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box) {
        this.assigner = assigner;
        this.coder = coder;
        this.cls = cls;
        this.box = box;
    }

    /**
     * ranksort_faster_rcnn's RoI stage: MaxIoU 0.5 / 0.5 with min_pos_iou 0.5 and no low-quality matches, RS
     * (δ 0.5), GIoU (eps 1e-6), coder with the given stds (.1 .1 .2 .2 in the first stage).
     */
    public static RsRoiLoss standard(double... stds) {
        return new RsRoiLoss(new MaxIouAssigner(0.5, 0.5, 0.5, false), new DeltaXywhCoder(stds),
                new RankSortLoss(0.5, 1e-10), new GiouLoss(1e-6, 1.0, true));
    }

    @Override
    public boolean backgroundLogit() {
        return false;
    }

    /** The positives' mask weights are their box-loss weights (each RoI's max class score). */
    @Override
    public Output computeWithPositives(List<RoiTrainInputs> images) {
        int classes = images.get(0).classes();
        int total = 0;
        for (RoiTrainInputs im : images) {
            if (im.classes() != classes) {
                throw new IllegalArgumentException("RoI inputs: images disagree on the number of classes");
            }
            total += im.rois();
        }
        float[] logits = new float[total * classes];
        List<int[]> pos = new ArrayList<>(); // image, RoI, GT
        int offset = 0;
        for (int i = 0; i < images.size(); i++) {
            RoiTrainInputs im = images.get(i);
            System.arraycopy(im.logits(), 0, logits, offset * classes, im.logits().length);
            offset += im.rois();
            int[] g = im.assign(assigner);
            for (int a = 0; a < g.length; a++) {
                if (g[a] > 0) {
                    pos.add(new int[] {i, a, g[a] - 1});
                }
            }
        }
        int n = pos.size();
        float[][] rois = images.stream().map(RoiTrainInputs::roiBoxes).toArray(float[][]::new);
        int[] start = new int[images.size()];
        for (int i = 1; i < start.length; i++) {
            start[i] = start[i - 1] + images.get(i - 1).rois();
        }
        float[] pred = new float[4 * n];
        float[] gtBoxes = new float[4 * n];
        int[] deltaRow = new int[n];
        float[] target = new float[logits.length];
        float[] weight = new float[n];
        double weightSum = 0;
        for (int k = 0; k < n; k++) {
            int[] p = pos.get(k);
            RoiTrainInputs im = images.get(p[0]);
            int label = im.gt().labels()[p[2]];
            deltaRow[k] = im.classAgnostic() ? p[1] : p[1] * classes + label;
            coder.decode(rois[p[0]], p[1], im.deltas(), deltaRow[k], pred, k, 0, 0);
            System.arraycopy(im.gt().boxes(), 4 * p[2], gtBoxes, 4 * k, 4);
            int row = (start[p[0]] + p[1]) * classes;
            target[row + label] = (float) Boxes.iou(pred, k, gtBoxes, k, 1e-6);
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, logits[row + c]);
            }
            // the max over all classes, not the GT class's score (docs/losses.md §7)
            weight[k] = (float) (1 / (1 + Math.exp(-max)));
            weightSum += weight[k];
        }
        ClassificationLossResult c = cls.compute(logits, target);
        List<HeadGradients> grads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            RoiTrainInputs im = images.get(i);
            int from = start[i] * classes;
            grads.add(new HeadGradients(java.util.Arrays.copyOfRange(c.grad(), from, from + im.logits().length),
                    new float[im.deltas().length], null));
        }
        Map<String, Double> terms = new LinkedHashMap<>();
        c.terms().forEach((k, v) -> terms.put("loss_" + k.replace("_loss", ""), v));
        double loss = c.loss();
        double boxLoss = 0;
        double lambda = 0;
        if (n > 0) {
            BoxLossResult b = box.compute(pred, gtBoxes, weight, weightSum < 1e-12 ? 1 : weightSum);
            // λ is a number, not part of the graph, so the balanced box loss always equals L_RS
            lambda = b.loss() > 0 ? c.loss() / b.loss() : 0;
            boxLoss = lambda * b.loss();
            float[] scaled = new float[b.grad().length];
            for (int q = 0; q < scaled.length; q++) {
                scaled[q] = (float) (b.grad()[q] * lambda);
            }
            // A RoI is positive for one GT and trains one class's deltas, so each gradient slot is written once.
            for (int k = 0; k < n; k++) {
                int[] p = pos.get(k);
                coder.backward(rois[p[0]], p[1], images.get(p[0]).deltas(), deltaRow[k], scaled, k, grads.get(p[0]).deltas());
            }
        }
        terms.putIfAbsent("loss_ranking", 0.0);
        terms.putIfAbsent("loss_sorting", 0.0);
        terms.put("loss_bbox", boxLoss);
        terms.put("lambda", lambda);
        terms.put("num_pos", (double) n);
        return new Output(new HeadLossResult(loss + boxLoss, terms, grads), pos, weight);
    }
}
