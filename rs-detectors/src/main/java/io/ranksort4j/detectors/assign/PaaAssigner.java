package io.ranksort4j.detectors.assign;

import io.ranksort4j.detectors.anchor.Anchors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Probabilistic anchor assignment (Kim &amp; Lee, ECCV 2020) as mmdetection 2.x's PAAHead and the authors'
 * RankBasedPAAHead do it: max-IoU candidates (IoU ≥ pos_iou_thr, each GT also claims its best anchors), each
 * scored by the detector's current focal loss (summed over classes) plus box_weight · GIoU loss of its decoded box;
 * per GT and level the top-k lowest scores; a two-component Gaussian mixture over the GT's selected scores
 * ({@link GaussianMixture1d}, started at their min and max); the selected anchors of the low-score component, in
 * ascending score, up to the one with the highest mixture log-density are positive (mmdetection's
 * gmm_separation_scheme, the paper's Fig. 3c). Every other anchor is background; nothing is ignored.
 */
public final class PaaAssigner implements Assigner {

    /** Decodes the anchor's predicted box (x1, y1, x2, y2) into {@code out[0..4)}. */
    @FunctionalInterface
    public interface BoxDecoder {
        void decode(int anchor, float[] out);
    }

    /** One image's current predictions: anchor-major logits [n·C] and the decoded boxes. */
    public record Predictions(float[] logits, int classes, BoxDecoder boxes) {}

    /** One GT's mixture: the selected candidates in ascending score, their scores, the fit and which positions became positive. */
    public record GtFit(int gt, int[] anchors, double[] scores, GaussianMixture1d.Fit fit, int[] positives) {}

    private final int topk;
    private final double posIouThr;
    private final double alpha;
    private final double gamma;
    private final double boxWeight;
    private final GaussianMixture1d.Settings gmm;
    private final MaxIouAssigner candidates;

    /**
     * @param topk      candidates per GT and level, by lowest score
     * @param posIouThr IoU making an anchor a candidate (mmdetection: pos_iou_thr = neg_iou_thr = 0.1, min_pos_iou 0)
     * @param alpha     focal α of the candidates' classification cost
     * @param gamma     focal γ
     * @param boxWeight weight of the GIoU loss in the score (PAA's loss_bbox weight, 1.3; RS-PAA 1)
     */
    public PaaAssigner(int topk, double posIouThr, double alpha, double gamma, double boxWeight, GaussianMixture1d.Settings gmm) {
        this.topk = topk;
        this.posIouThr = posIouThr;
        this.alpha = alpha;
        this.gamma = gamma;
        this.boxWeight = boxWeight;
        this.gmm = gmm;
        this.candidates = new MaxIouAssigner(posIouThr, posIouThr, 0.0);
    }

    /**
     * PAA cannot assign from geometry alone: its scores are the detector's losses. The PAA recipes call
     * {@link #assign(Anchors, float[], int[], Predictions, int, int, int)}; reaching this is a wiring error.
     */
    @Override
    public Assignment assign(Anchors anchors, float[] gt) {
        throw new IllegalStateException("the paa assigner scores candidates with the detector's current losses; "
                + "use model.assigner.type = paa only with model.type = paa or rs_paa");
    }

    /** The max-IoU candidates (first stage): per anchor −1 outside the image, 0 background, k &gt; 0 GT k−1. */
    public Assignment candidates(Anchors anchors, float[] gt, int imageWidth, int imageHeight, int allowedBorder) {
        return candidates.assignInside(anchors, gt, imageWidth, imageHeight, allowedBorder);
    }

    /** Assigns one image's anchors with its current predictions (anchors outside the image are ignored). */
    public Assignment assign(Anchors anchors, float[] gt, int[] labels, Predictions pred, int imageWidth, int imageHeight, int allowedBorder) {
        return assignWithFits(anchors, gt, labels, pred, imageWidth, imageHeight, allowedBorder, null);
    }

    /** As {@link #assign(Anchors, float[], int[], Predictions, int, int, int)}, adding each GT's mixture to {@code fits} when not null. */
    public Assignment assignWithFits(Anchors anchors, float[] gt, int[] labels, Predictions pred, int imageWidth, int imageHeight,
                                     int allowedBorder, List<GtFit> fits) {
        int[] first = candidates(anchors, gt, imageWidth, imageHeight, allowedBorder).gtIndex();
        int n = first.length;
        int[] out = new int[n];
        int numGt = 0;
        for (int a = 0; a < n; a++) {
            out[a] = first[a] == Assignment.IGNORE ? Assignment.IGNORE : Assignment.BACKGROUND;
            numGt = Math.max(numGt, first[a]);
        }
        if (numGt == 0) {
            return new Assignment(out);
        }
        double[] cost = new double[n];
        float[] box = new float[4];
        for (int a = 0; a < n; a++) {
            if (first[a] > 0) {
                int j = first[a] - 1;
                pred.boxes().decode(a, box);
                cost[a] = score(pred.logits(), a * pred.classes(), pred.classes(), labels[j], box, gt, 4 * j);
            }
        }
        int[] levelStart = anchors.levelStart();
        for (int j = 0; j < numGt; j++) {
            List<Integer> chosen = new ArrayList<>();
            for (int l = 0; l < anchors.levels(); l++) {
                List<Integer> level = new ArrayList<>();
                for (int a = levelStart[l]; a < levelStart[l + 1]; a++) {
                    if (first[a] == j + 1) {
                        level.add(a);
                    }
                }
                // lowest scores first; equal scores keep the lower anchor index
                level.sort(Comparator.comparingDouble((Integer a) -> cost[a]).thenComparingInt(a -> a));
                chosen.addAll(level.subList(0, Math.min(topk, level.size())));
            }
            // mmdetection skips a GT with fewer than two candidates: its candidates all become background
            if (chosen.size() < 2) {
                continue;
            }
            chosen.sort(Comparator.comparingDouble((Integer a) -> cost[a]).thenComparingInt(a -> a));
            double[] x = new double[chosen.size()];
            int[] idx = new int[chosen.size()];
            for (int q = 0; q < x.length; q++) {
                idx[q] = chosen.get(q);
                x[q] = cost[idx[q]];
            }
            GaussianMixture1d.Fit fit = GaussianMixture1d.fitPaa(x, gmm);
            int[] positives = separate(fit, x);
            for (int q : positives) {
                out[idx[q]] = j + 1;
            }
            if (fits != null) {
                fits.add(new GtFit(j, idx, x, fit, positives));
            }
        }
        return new Assignment(out);
    }

    /**
     * mmdetection's gmm_separation_scheme on scores in ascending order: of the samples predicted to the first
     * (low-score) component, those up to and including the one with the highest log-density are positive.
     * Returns their positions in {@code sorted}; equal log-densities take the first.
     */
    static int[] separate(GaussianMixture1d.Fit fit, double[] sorted) {
        int[] fg = new int[sorted.length];
        int count = 0;
        int bestRank = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int q = 0; q < sorted.length; q++) {
            if (fit.predict(sorted[q]) == 0) {
                double s = fit.scoreSample(sorted[q]);
                if (bestRank < 0 || s > bestScore) {
                    bestRank = count;
                    bestScore = s;
                }
                fg[count++] = q;
            }
        }
        return Arrays.copyOf(fg, bestRank + 1);
    }

    /** Focal loss summed over classes (one-hot at {@code label}) plus boxWeight · (1 − GIoU), as the official get_pos_loss. */
    double score(float[] logits, int row, int classes, int label, float[] pred, float[] gt, int g) {
        double cls = 0;
        for (int c = 0; c < classes; c++) {
            double z = logits[row + c];
            boolean t = c == label;
            double p = 1 / (1 + Math.exp(-z));
            double pt = t ? 1 - p : p;
            double w = (t ? alpha : 1 - alpha) * Math.pow(pt, gamma);
            // BCE with logits, stable: max(z, 0) − z·t + log(1 + e^−|z|)
            double bce = Math.max(z, 0) - (t ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
            cls += bce * w;
        }
        // torch computes the losses in float32
        return (float) ((float) cls + (float) (boxWeight * (1 - giou(pred, gt, g, 1e-6))));
    }

    /** mmdetection's aligned GIoU (union and enclosing area clamped at eps). */
    static double giou(float[] p, float[] t, int g, double eps) {
        double ap = (p[2] - p[0]) * (p[3] - p[1]);
        double ag = (t[g + 2] - t[g]) * (t[g + 3] - t[g + 1]);
        double iw = Math.max(Math.min(p[2], t[g + 2]) - Math.max(p[0], t[g]), 0);
        double ih = Math.max(Math.min(p[3], t[g + 3]) - Math.max(p[1], t[g + 1]), 0);
        double inter = iw * ih;
        double union = Math.max(ap + ag - inter, eps);
        double ew = Math.max(Math.max(p[2], t[g + 2]) - Math.min(p[0], t[g]), 0);
        double eh = Math.max(Math.max(p[3], t[g + 3]) - Math.min(p[1], t[g + 1]), 0);
        double enclose = Math.max(ew * eh, eps);
        return inter / union - (enclose - union) / enclose;
    }

    @Override
    public String toString() {
        return "PaaAssigner[topk=" + topk + ", pos_iou_thr=" + posIouThr + ", box_weight=" + boxWeight + "]";
    }
}
