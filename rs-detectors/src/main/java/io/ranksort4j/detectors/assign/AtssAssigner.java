package io.ranksort4j.detectors.assign;

import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.Boxes;

/**
 * mmdetection's ATSSAssigner (Zhang et al., CVPR 2020): per GT and level the top-k anchors by centre distance
 * are candidates; those with IoU ≥ mean + std (unbiased, as torch.std) of the candidates' IoUs and whose centre
 * lies inside the GT (by more than 0.01) are positive; an anchor claimed by several GTs takes the highest IoU.
 * Distance ties keep the lower anchor index.
 */
public final class AtssAssigner implements Assigner {
    private final int topk;

    public AtssAssigner(int topk) {
        this.topk = topk;
    }

    @Override
    public Assignment assign(Anchors anchors, float[] gt) {
        int n = anchors.count();
        int g = Boxes.count(gt);
        int[] assigned = new int[n];
        if (g == 0 || n == 0) {
            return new Assignment(assigned);
        }
        float[] a = anchors.boxes();
        float[] overlaps = Boxes.iouMatrix(a, gt, 1e-6);
        double[] best = new double[n];
        java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
        int[] levelStart = anchors.levelStart();
        int levels = anchors.levels();
        int[] cand = new int[topk * levels];
        double[] dist = new double[n];
        for (int j = 0; j < g; j++) {
            double gx = (gt[4 * j] + gt[4 * j + 2]) / 2.0;
            double gy = (gt[4 * j + 1] + gt[4 * j + 3]) / 2.0;
            for (int i = 0; i < n; i++) {
                double ax = (a[4 * i] + a[4 * i + 2]) / 2.0;
                double ay = (a[4 * i + 1] + a[4 * i + 3]) / 2.0;
                dist[i] = Math.sqrt((ax - gx) * (ax - gx) + (ay - gy) * (ay - gy));
            }
            int c = 0;
            for (int l = 0; l < levels; l++) {
                c += smallest(dist, levelStart[l], levelStart[l + 1], Math.min(topk, levelStart[l + 1] - levelStart[l]), cand, c);
            }
            double mean = 0;
            for (int q = 0; q < c; q++) {
                mean += overlaps[cand[q] * g + j];
            }
            mean /= c;
            double var = 0;
            for (int q = 0; q < c; q++) {
                double dv = overlaps[cand[q] * g + j] - mean;
                var += dv * dv;
            }
            double std = c > 1 ? Math.sqrt(var / (c - 1)) : Double.NaN;
            // torch computes the threshold in float32
            float thr = (float) mean + (float) std;
            for (int q = 0; q < c; q++) {
                int i = cand[q];
                float ov = overlaps[i * g + j];
                if (!(ov >= thr)) {
                    continue;
                }
                double ax = (a[4 * i] + a[4 * i + 2]) / 2.0;
                double ay = (a[4 * i + 1] + a[4 * i + 3]) / 2.0;
                double inside = Math.min(Math.min(ax - gt[4 * j], ay - gt[4 * j + 1]), Math.min(gt[4 * j + 2] - ax, gt[4 * j + 3] - ay));
                if (inside > 0.01 && ov > best[i]) {
                    best[i] = ov;
                    assigned[i] = j + 1;
                }
            }
        }
        return new Assignment(assigned);
    }

    /** Writes the k indices of [from, to) with the smallest values (ties: lower index) into out[at..]. */
    private static int smallest(double[] v, int from, int to, int k, int[] out, int at) {
        int size = 0;
        for (int i = from; i < to; i++) {
            if (size < k) {
                int p = at + size++;
                while (p > at && v[out[p - 1]] > v[i]) {
                    out[p] = out[p - 1];
                    p--;
                }
                out[p] = i;
            } else if (v[i] < v[out[at + k - 1]]) {
                int p = at + k - 1;
                while (p > at && v[out[p - 1]] > v[i]) {
                    out[p] = out[p - 1];
                    p--;
                }
                out[p] = i;
            }
        }
        return size;
    }
}
