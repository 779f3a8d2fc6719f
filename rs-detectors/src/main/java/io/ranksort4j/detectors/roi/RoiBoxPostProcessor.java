package io.ranksort4j.detectors.roi;

import io.ranksort4j.detectors.box.DeltaXywhCoder;
import io.ranksort4j.detectors.box.Nms;
import io.ranksort4j.detectors.head.Detection;
import java.util.ArrayList;
import java.util.List;

/**
 * The RoI box head's test-time post-processing as mmdetection 2.x's BBoxHead.get_bboxes + multiclass_nms make it
 * for RS-R-CNN: sigmoid class scores (no background column; softmax heads: the softmax without it), each (RoI, class) pair's deltas decoded against its
 * RoI and clipped to the image, boxes divided by the rescale factor, pairs with score &gt; score_thr kept,
 * mmcv's batched_nms with the class as the group, the best max_per_img.
 *
 * <p>Exact score ties are ordered by the lower flat (RoI, class) index, roi × C + class, as torch's stable sorts
 * and torchvision's CPU nms order them (mmcv's per-class branch re-sorts unstably, so its tie order is unspecified).
 */
public final class RoiBoxPostProcessor {

    /**
     * mmdet's rcnn test cfg plus the head's layout.
     *
     * @param scoreThr a (RoI, class) pair is a candidate when its sigmoid score is strictly above this
     * @param nmsIou a candidate is suppressed by a better one of its class when their IoU is strictly above this
     * @param maxPerImg detections kept per image; ≤ 0 keeps all, as mmdet's max_num
     * @param classAgnostic reg_class_agnostic: 4 deltas per RoI shared by all classes instead of 4 per class
     * @param background a softmax head: C + 1 logits per RoI, background last, scores are the softmax's first C
     */
    public record Params(float scoreThr, double nmsIou, int maxPerImg, boolean classAgnostic, boolean background) {
        /** Rejects thresholds outside [0, 1]. */
        public Params {
            if (!(scoreThr >= 0 && scoreThr <= 1) || !(nmsIou >= 0 && nmsIou <= 1)) {
                throw new IllegalArgumentException("scoreThr and nmsIou must lie in [0, 1], got " + scoreThr
                        + " and " + nmsIou);
            }
        }

        /** A sigmoid head's parameters. */
        public Params(float scoreThr, double nmsIou, int maxPerImg, boolean classAgnostic) {
            this(scoreThr, nmsIou, maxPerImg, classAgnostic, false);
        }

        /** RS-Faster / RS-Cascade R-CNN's test cfg: score_thr 0.05, nms iou 0.5, max_per_img 100. */
        public static Params rsRcnn() {
            return new Params(0.05f, 0.5, 100, false);
        }
    }

    private final Params params;
    private final DeltaXywhCoder coder;

    /**
     * @param coder the stage's DeltaXYWH coder: stds (.1, .1, .2, .2) for RS-Faster R-CNN; Cascade's last stage
     *     uses (.033, .033, .067, .067)
     */
    public RoiBoxPostProcessor(Params params, DeltaXywhCoder coder) {
        this.params = params;
        this.coder = coder;
    }

    public Params params() {
        return params;
    }

    /**
     * Detections of one image, best first.
     *
     * @param rois R RoIs (x1, y1, x2, y2) in resized-image coordinates, 4R values
     * @param logits R×C class logits, row-major (RoI, class); R×(C+1) with {@link Params#background()}
     * @param deltas R×4C class-specific deltas (RoI, class, 4), or R×4 when {@link Params#classAgnostic()}
     * @param numClasses C
     * @param imgW,imgH size of the resized (unpadded) image, mmdet's img_shape, for clipping
     * @param scaleW,scaleH resized / original size, mmdet's scale_factor; 1 gives resized-image coordinates
     */
    public List<Detection> process(float[] rois, float[] logits, float[] deltas, int numClasses, int imgW,
            int imgH, float scaleW, float scaleH) {
        if (numClasses <= 0 || rois.length % 4 != 0) {
            throw new IllegalArgumentException("need C > 0 and 4 values per RoI, got C=" + numClasses
                    + " and " + rois.length + " RoI values");
        }
        int r = rois.length / 4;
        int perRoi = params.classAgnostic() ? 4 : 4 * numClasses;
        int width = params.background() ? numClasses + 1 : numClasses;
        if (logits.length != r * width || deltas.length != r * perRoi) {
            throw new IllegalArgumentException("RoI head outputs for " + r + " RoIs and " + numClasses
                    + " classes: expected " + r * width + " logits and " + r * perRoi + " deltas, got "
                    + logits.length + " and " + deltas.length);
        }
        float[] probs = params.background() ? softmaxScores(logits, r, numClasses) : null;
        // candidates in flat (RoI, class) order, as mmdet's nonzero lists them; NMS's stable sorts build the tie
        // rule on that order
        List<Integer> flat = new ArrayList<>();
        List<Float> candScores = new ArrayList<>();
        for (int f = 0; f < r * numClasses; f++) {
            float s = probs != null ? probs[f] : (float) (1 / (1 + Math.exp(-(double) logits[f])));
            if (s > params.scoreThr()) {
                flat.add(f);
                candScores.add(s);
            }
        }
        int n = flat.size();
        float[] boxes = new float[4 * n];
        float[] scores = new float[n];
        int[] labels = new int[n];
        for (int k = 0; k < n; k++) {
            int f = flat.get(k);
            int roi = f / numClasses;
            labels[k] = f % numClasses;
            scores[k] = candScores.get(k);
            // decoding only candidates is exact: mmdet decodes every pair, but each independently
            coder.decode(rois, roi, deltas, params.classAgnostic() ? roi : f, boxes, k, imgW, imgH);
            // float division, as torch divides the float32 boxes by the float32 scale_factor
            boxes[4 * k] /= scaleW;
            boxes[4 * k + 1] /= scaleH;
            boxes[4 * k + 2] /= scaleW;
            boxes[4 * k + 3] /= scaleH;
        }
        List<Integer> keep = Nms.batched(boxes, scores, labels, n, params.nmsIou());
        int m = params.maxPerImg() > 0 ? Math.min(keep.size(), params.maxPerImg()) : keep.size();
        List<Detection> out = new ArrayList<>(m);
        for (int q = 0; q < m; q++) {
            int k = keep.get(q);
            out.add(new Detection(boxes[4 * k], boxes[4 * k + 1], boxes[4 * k + 2], boxes[4 * k + 3], labels[k],
                    scores[k]));
        }
        return out;
    }

    /** Each RoI's softmax over its C + 1 logits, background column dropped: R × C scores. */
    private static float[] softmaxScores(float[] logits, int r, int classes) {
        int w = classes + 1;
        float[] out = new float[r * classes];
        for (int j = 0; j < r; j++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < w; c++) {
                max = Math.max(max, logits[j * w + c]);
            }
            double z = 0;
            for (int c = 0; c < w; c++) {
                z += Math.exp(logits[j * w + c] - max);
            }
            for (int c = 0; c < classes; c++) {
                out[j * classes + c] = (float) (Math.exp(logits[j * w + c] - max) / z);
            }
        }
        return out;
    }

    /**
     * The class logits RS-Cascade R-CNN post-processes: mmdet 2.x CascadeRoIHead.simple_test averages the stages'
     * raw cls_score outputs (logits, before any sigmoid) and hands the mean to the last stage's get_bboxes, which
     * applies the sigmoid. Summed in stage order from 0 and divided by the stage count in float, as torch does.
     */
    public static float[] averageLogits(List<float[]> stageLogits) {
        if (stageLogits.isEmpty()) {
            throw new IllegalArgumentException("averageLogits: no stages");
        }
        int len = stageLogits.get(0).length;
        float[] sum = new float[len];
        for (float[] s : stageLogits) {
            if (s.length != len) {
                throw new IllegalArgumentException("averageLogits: stage lengths differ, " + len + " vs " + s.length);
            }
            for (int i = 0; i < len; i++) {
                sum[i] += s[i];
            }
        }
        float n = stageLogits.size();
        for (int i = 0; i < len; i++) {
            sum[i] /= n;
        }
        return sum;
    }
}
