package io.ranksort4j.detectors.head;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.assign.Assigner;
import io.ranksort4j.detectors.assign.Assignment;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A batch after assignment: the whole batch's logits concatenated image after image (one ranking problem, as
 * the RS detectors rank per GPU batch), which anchors are ignored, and for each positive its image, anchor, GT
 * box, label and its decoded (unclipped) predicted box.
 */
final class Positives {
    final int classes;
    final int anchorsPerImage;
    final float[] logits;
    final boolean[] ignored; // per (image, anchor)
    final int[] image;
    final int[] anchor;
    final int[] label;
    final float[] gtBoxes;
    final float[] predBoxes;

    private Positives(int classes, int anchorsPerImage, float[] logits, boolean[] ignored, List<int[]> pos, float[] gtBoxes, float[] predBoxes) {
        this.classes = classes;
        this.anchorsPerImage = anchorsPerImage;
        this.logits = logits;
        this.ignored = ignored;
        this.image = pos.stream().mapToInt(p -> p[0]).toArray();
        this.anchor = pos.stream().mapToInt(p -> p[1]).toArray();
        this.label = pos.stream().mapToInt(p -> p[2]).toArray();
        this.gtBoxes = gtBoxes;
        this.predBoxes = predBoxes;
    }

    static Positives of(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors, Assigner assigner, DeltaXywhCoder coder) {
        return ofImages(outs, gts, anchors, (i, gt) -> assigner.assignInside(anchors, gt.boxes(), gt.imageWidth(), gt.imageHeight(), -1), coder);
    }

    /** Assigns image i's anchors from its outputs: what an assigner that scores candidates by loss needs (PAA). */
    interface ImageAssigner {
        Assignment assign(int image, GroundTruth gt);
    }

    static Positives ofImages(List<HeadOutputs> outs, List<GroundTruth> gts, Anchors anchors, ImageAssigner assigner, DeltaXywhCoder coder) {
        int n = anchors.count();
        int classes = outs.get(0).logits().length / n;
        float[] logits = new float[outs.size() * n * classes];
        boolean[] ignored = new boolean[outs.size() * n];
        List<int[]> pos = new ArrayList<>();
        List<float[]> gtList = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) {
            System.arraycopy(outs.get(i).logits(), 0, logits, i * n * classes, n * classes);
            GroundTruth gt = gts.get(i);
            Assignment as = assigner.assign(i, gt);
            int[] g = as.gtIndex();
            for (int a = 0; a < n; a++) {
                if (g[a] == Assignment.IGNORE) {
                    ignored[i * n + a] = true;
                } else if (g[a] > 0) {
                    int j = g[a] - 1;
                    pos.add(new int[] {i, a, gt.labels()[j]});
                    gtList.add(new float[] {gt.boxes()[4 * j], gt.boxes()[4 * j + 1], gt.boxes()[4 * j + 2], gt.boxes()[4 * j + 3]});
                }
            }
        }
        float[] gtBoxes = new float[4 * pos.size()];
        float[] pred = new float[4 * pos.size()];
        for (int k = 0; k < pos.size(); k++) {
            System.arraycopy(gtList.get(k), 0, gtBoxes, 4 * k, 4);
            int[] p = pos.get(k);
            coder.decode(anchors.boxes(), p[1], outs.get(p[0]).deltas(), p[1], pred, k, 0, 0);
        }
        return new Positives(classes, n, logits, ignored, pos, gtBoxes, pred);
    }

    int count() {
        return image.length;
    }

    /** Index of positive k's GT-class logit in the concatenated logits. */
    int logitIndex(int k) {
        return (image[k] * anchorsPerImage + anchor[k]) * classes + label[k];
    }

    /** Classification targets: 0 everywhere, −1 on ignored anchors, {@code value[k]} at each positive's class. */
    float[] targets(float[] value) {
        float[] t = new float[logits.length];
        for (int q = 0; q < ignored.length; q++) {
            if (ignored[q]) {
                java.util.Arrays.fill(t, q * classes, (q + 1) * classes, -1f);
            }
        }
        for (int k = 0; k < count(); k++) {
            t[logitIndex(k)] = value[k];
        }
        return t;
    }

    /** Splits concatenated logit gradients back into per-image gradients, with room for deltas (and centerness). */
    List<HeadGradients> gradients(float[] logitGrad, boolean centerness) {
        int per = anchorsPerImage * classes;
        List<HeadGradients> out = new ArrayList<>();
        for (int i = 0; i * per < logits.length; i++) {
            float[] g = java.util.Arrays.copyOfRange(logitGrad, i * per, (i + 1) * per);
            out.add(new HeadGradients(g, new float[anchorsPerImage * 4], centerness ? new float[anchorsPerImage] : null));
        }
        return out;
    }

    /** Writes scale · dL/d(decoded box of positive k) through the coder into its image's deltas gradient. */
    void addBoxGradients(float[] boxGrad, double scale, List<HeadOutputs> outs, List<HeadGradients> grads, Anchors anchors, DeltaXywhCoder coder) {
        float[] scaled = new float[boxGrad.length];
        for (int q = 0; q < boxGrad.length; q++) {
            scaled[q] = (float) (boxGrad[q] * scale);
        }
        // An anchor is positive for one GT only, so each delta gradient is written once.
        for (int k = 0; k < count(); k++) {
            coder.backward(anchors.boxes(), anchor[k], outs.get(image[k]).deltas(), anchor[k], scaled, k, grads.get(image[k]).deltas());
        }
    }
}
