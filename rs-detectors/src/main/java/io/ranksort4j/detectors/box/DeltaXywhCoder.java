package io.ranksort4j.detectors.box;

/**
 * mmdetection's DeltaXYWHBBoxCoder (means 0, stds .1 .1 .2 .2 by default, wh_ratio_clip 16/1000): encodes a
 * target box against an anchor as normalised (dx, dy, dw, dh), decodes back, and carries a gradient w.r.t. a
 * decoded box back to the deltas, so box losses on decoded boxes (GIoU) reach the network.
 */
public final class DeltaXywhCoder {
    private static final double MAX_RATIO = Math.abs(Math.log(16.0 / 1000));
    private final double[] stds;

    public DeltaXywhCoder(double... stds) {
        if (stds.length != 4) {
            throw new IllegalArgumentException("box coder stds: expected 4 values, got " + stds.length);
        }
        this.stds = stds.clone();
    }

    /** The defaults of ATSS / RetinaNet in mmdetection. */
    public static DeltaXywhCoder standard() {
        return new DeltaXywhCoder(0.1, 0.1, 0.2, 0.2);
    }

    /** Deltas of gt box j relative to anchor i, written into out[4o..4o+3]. */
    public void encode(float[] anchors, int i, float[] gt, int j, float[] out, int o) {
        double aw = anchors[4 * i + 2] - anchors[4 * i];
        double ah = anchors[4 * i + 3] - anchors[4 * i + 1];
        double ax = anchors[4 * i] + 0.5 * aw;
        double ay = anchors[4 * i + 1] + 0.5 * ah;
        double gw = gt[4 * j + 2] - gt[4 * j];
        double gh = gt[4 * j + 3] - gt[4 * j + 1];
        double gx = gt[4 * j] + 0.5 * gw;
        double gy = gt[4 * j + 1] + 0.5 * gh;
        out[4 * o] = (float) ((gx - ax) / aw / stds[0]);
        out[4 * o + 1] = (float) ((gy - ay) / ah / stds[1]);
        out[4 * o + 2] = (float) (Math.log(gw / aw) / stds[2]);
        out[4 * o + 3] = (float) (Math.log(gh / ah) / stds[3]);
    }

    /**
     * Decodes deltas d[4k..] about anchor i into out[4o..]; clips to (maxW, maxH) when both are positive, as
     * mmdetection does at test time. Training decodes without clipping.
     */
    public void decode(float[] anchors, int i, float[] d, int k, float[] out, int o, double maxW, double maxH) {
        double aw = anchors[4 * i + 2] - anchors[4 * i];
        double ah = anchors[4 * i + 3] - anchors[4 * i + 1];
        double ax = anchors[4 * i] + 0.5 * aw;
        double ay = anchors[4 * i + 1] + 0.5 * ah;
        double dw = clamp(d[4 * k + 2] * stds[2]);
        double dh = clamp(d[4 * k + 3] * stds[3]);
        double cx = ax + d[4 * k] * stds[0] * aw;
        double cy = ay + d[4 * k + 1] * stds[1] * ah;
        double w = aw * Math.exp(dw);
        double h = ah * Math.exp(dh);
        double x1 = cx - 0.5 * w;
        double y1 = cy - 0.5 * h;
        double x2 = cx + 0.5 * w;
        double y2 = cy + 0.5 * h;
        if (maxW > 0 && maxH > 0) {
            x1 = Math.min(Math.max(x1, 0), maxW);
            x2 = Math.min(Math.max(x2, 0), maxW);
            y1 = Math.min(Math.max(y1, 0), maxH);
            y2 = Math.min(Math.max(y2, 0), maxH);
        }
        out[4 * o] = (float) x1;
        out[4 * o + 1] = (float) y1;
        out[4 * o + 2] = (float) x2;
        out[4 * o + 3] = (float) y2;
    }

    /**
     * Chain rule through an unclipped decode: given dL/d(x1, y1, x2, y2) in g[4o..], writes dL/d(deltas) into
     * out[4k..]. A clamped dw or dh passes no gradient, as torch's clamp does.
     */
    public void backward(float[] anchors, int i, float[] d, int k, float[] g, int o, float[] out) {
        double aw = anchors[4 * i + 2] - anchors[4 * i];
        double ah = anchors[4 * i + 3] - anchors[4 * i + 1];
        double rawW = d[4 * k + 2] * stds[2];
        double rawH = d[4 * k + 3] * stds[3];
        double w = aw * Math.exp(clamp(rawW));
        double h = ah * Math.exp(clamp(rawH));
        double gx1 = g[4 * o], gy1 = g[4 * o + 1], gx2 = g[4 * o + 2], gy2 = g[4 * o + 3];
        out[4 * k] = (float) ((gx1 + gx2) * stds[0] * aw);
        out[4 * k + 1] = (float) ((gy1 + gy2) * stds[1] * ah);
        out[4 * k + 2] = Math.abs(rawW) < MAX_RATIO ? (float) (0.5 * (gx2 - gx1) * w * stds[2]) : 0f;
        out[4 * k + 3] = Math.abs(rawH) < MAX_RATIO ? (float) (0.5 * (gy2 - gy1) * h * stds[3]) : 0f;
    }

    private static double clamp(double v) {
        return Math.max(-MAX_RATIO, Math.min(MAX_RATIO, v));
    }
}
