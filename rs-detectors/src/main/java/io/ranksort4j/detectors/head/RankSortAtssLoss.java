package io.ranksort4j.detectors.head;

import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.BoxLossResult;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.box.Boxes;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RS-ATSS's recipe (docs/losses.md §7): the classifier's target at a positive's class is the IoU of its detached
 * decoded box with its GT, one ranking problem over the whole batch; the box loss (GIoU) is weighted by each
 * positive's max class score and rescaled every iteration by λ = L_RS / L_box, so no weight needs tuning.
 */
public final class RankSortAtssLoss extends AnchorHeadLoss {
    private final ClassificationLoss cls;
    private final BoxLoss box;
    private final RsRecipeParams recipe;
    private final ClassificationLoss centerness;

    /** {@code recipe} holds the ablation switches; {@code centerness} is used only when the recipe asks for the branch. */
    public RankSortAtssLoss(Assigner assigner, DeltaXywhCoder coder, ClassificationLoss cls, BoxLoss box,
                            RsRecipeParams recipe, ClassificationLoss centerness) {
        super(assigner, coder);
        this.cls = cls;
        this.box = box;
        this.recipe = recipe;
        this.centerness = recipe.centerness() ? Objects.requireNonNull(centerness, "centerness loss") : null;
    }

    @Override
    public boolean usesCenterness() {
        return centerness != null;
    }

    @Override
    public HeadLossResult compute(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors) {
        Positives p = positives(outs, gts, anchors);
        int n = p.count();
        float[] iou = new float[n];
        float[] weight = new float[n];
        double weightSum = 0;
        for (int k = 0; k < n; k++) {
            iou[k] = (float) Boxes.iou(p.predBoxes, k, p.gtBoxes, k, 1e-6);
            int row = (p.image[k] * p.anchorsPerImage + p.anchor[k]) * p.classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < p.classes; c++) {
                max = Math.max(max, p.logits[row + c]);
            }
            weight[k] = (float) (1 / (1 + Math.exp(-max)));
            weightSum += weight[k];
        }
        ClassificationLossResult c = cls.compute(p.logits, p.targets(recipe.targets() == RsRecipeParams.Targets.IOU ? iou : ones(n)));
        List<HeadGradients> grads = p.gradients(c.grad(), usesCenterness());
        Map<String, Double> terms = new LinkedHashMap<>();
        c.terms().forEach((k, v) -> terms.put("loss_" + k.replace("_loss", ""), v));
        double total = c.loss();
        if (n > 0 && !c.noPositives()) {
            BoxLossResult b = box.compute(p.predBoxes, p.gtBoxes, weight, weightSum < 1e-12 ? 1 : weightSum);
            // value-based balancing: λ is a number, not part of the graph, so the balanced box loss equals L_RS
            double lambda = recipe.balance() == RsRecipeParams.Balance.CONSTANT ? 1 : b.loss() > 0 ? c.loss() / b.loss() : 0;
            p.addBoxGradients(b.grad(), lambda, outs, grads, anchors, coder);
            terms.put("loss_bbox", lambda * b.loss());
            terms.put("lambda", lambda);
            total += lambda * b.loss();
            if (centerness != null) {
                double ctr = centernessLoss(centerness, p, centernessTargets(p, anchors), outs, grads);
                terms.put("loss_centerness", ctr);
                total += ctr;
            }
        }
        terms.put("num_pos", (double) n);
        return new HeadLossResult(total, terms, grads);
    }
}
