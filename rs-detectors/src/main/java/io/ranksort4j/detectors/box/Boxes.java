package io.ranksort4j.detectors.box;

/** Operations on boxes stored flat as (x1, y1, x2, y2) quadruples in float arrays, mmdetection's conventions. */
public final class Boxes {
    private Boxes() {}

    /**
     * bbox_overlaps(a, b) in 'iou' mode: |a|×|b| IoUs, row-major, union clamped at eps like mmdetection.
     *
     * <p>In float32, one rounding per operation in bbox_overlaps' order (areas, clamped width × height, area + area −
     * overlap, max with eps, divide), so the values are torch's bit for bit. The assigners compare them for equality
     * (MaxIoU's gt_max_assign_all gives a GT every anchor at its max IoU): anchors of one shape that all hold a GT tie
     * exactly in float32, but computed in double from the same float coordinates they differ in the last bits and
     * the tie breaks (RS-Faster R-CNN's step parity: 23 RPN positives in double, the authors' 29).
     */
    public static float[] iouMatrix(float[] a, float[] b, double eps) {
        int n = a.length / 4;
        int m = b.length / 4;
        float e = (float) eps;
        float[] out = new float[n * m];
        for (int j = 0; j < m; j++) {
            float bx1 = b[4 * j], by1 = b[4 * j + 1], bx2 = b[4 * j + 2], by2 = b[4 * j + 3];
            float areaB = (bx2 - bx1) * (by2 - by1);
            for (int i = 0; i < n; i++) {
                float ax1 = a[4 * i], ay1 = a[4 * i + 1], ax2 = a[4 * i + 2], ay2 = a[4 * i + 3];
                float iw = Math.max(Math.min(ax2, bx2) - Math.max(ax1, bx1), 0f);
                float ih = Math.max(Math.min(ay2, by2) - Math.max(ay1, by1), 0f);
                float inter = iw * ih;
                float union = (ax2 - ax1) * (ay2 - ay1) + areaB - inter;
                out[i * m + j] = inter / Math.max(union, e);
            }
        }
        return out;
    }

    /** IoU of box i of a with box j of b (union clamped at eps). */
    public static double iou(float[] a, int i, float[] b, int j, double eps) {
        int p = 4 * i;
        int q = 4 * j;
        double iw = Math.min(a[p + 2], b[q + 2]) - Math.max(a[p], b[q]);
        double ih = Math.min(a[p + 3], b[q + 3]) - Math.max(a[p + 1], b[q + 1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        double union = (a[p + 2] - a[p]) * (a[p + 3] - a[p + 1]) + (b[q + 2] - b[q]) * (b[q + 3] - b[q + 1]) - inter;
        return inter / Math.max(union, eps);
    }

    public static int count(float[] boxes) {
        return boxes.length / 4;
    }
}
