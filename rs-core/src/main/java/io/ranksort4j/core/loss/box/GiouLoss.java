package io.ranksort4j.core.loss.box;

/**
 * Generalised IoU loss 1 − GIoU on (x1, y1, x2, y2) boxes, as mmdetection's bbox_overlaps(mode='giou',
 * is_aligned) computes it (union and enclosing area clamped at eps), with its exact gradient w.r.t. the prediction.
 * The {@code iou} variant drops the enclosing term: 1 − max(IoU, eps).
 */
public final class GiouLoss extends BoxLosses {
    private final double eps;
    private final boolean generalised;

    public GiouLoss(double eps, double lossWeight, boolean generalised) {
        super(generalised ? "giou" : "iou", lossWeight);
        this.eps = eps;
        this.generalised = generalised;
    }

    /** IoU of two boxes with mmdetection's eps on the union: the RS sorting target. */
    public static double iou(float[] a, int ia, float[] b, int ib, double eps) {
        double iw = Math.min(a[ia + 2], b[ib + 2]) - Math.max(a[ia], b[ib]);
        double ih = Math.min(a[ia + 3], b[ib + 3]) - Math.max(a[ia + 1], b[ib + 1]);
        double inter = Math.max(iw, 0) * Math.max(ih, 0);
        double union = (a[ia + 2] - a[ia]) * (a[ia + 3] - a[ia + 1]) + (b[ib + 2] - b[ib]) * (b[ib + 3] - b[ib + 1]) - inter;
        return inter / Math.max(union, eps);
    }

    @Override
    double box(float[] pr, float[] tg, int b, double[] g) {
        int o = 4 * b;
        double x1 = pr[o], y1 = pr[o + 1], x2 = pr[o + 2], y2 = pr[o + 3];
        double tx1 = tg[o], ty1 = tg[o + 1], tx2 = tg[o + 2], ty2 = tg[o + 3];
        double pw = x2 - x1;
        double ph = y2 - y1;
        double ap = pw * ph;
        double ag = (tx2 - tx1) * (ty2 - ty1);
        double iw = Math.min(x2, tx2) - Math.max(x1, tx1);
        double ih = Math.min(y2, ty2) - Math.max(y1, ty1);
        double wI = Math.max(iw, 0);
        double hI = Math.max(ih, 0);
        double inter = wI * hI;
        double u0 = ap + ag - inter;
        double u = Math.max(u0, eps);
        double uActive = u0 > eps ? 1 : 0;
        // d iw / d(x1, x2) and d ih / d(y1, y2), only where the overlap is positive.
        double dIwX1 = iw > 0 ? -maxGradFirst(x1, tx1) : 0;
        double dIwX2 = iw > 0 ? maxGradFirst(-x2, -tx2) : 0;
        double dIhY1 = ih > 0 ? -maxGradFirst(y1, ty1) : 0;
        double dIhY2 = ih > 0 ? maxGradFirst(-y2, -ty2) : 0;
        double[] dI = {hI * dIwX1, wI * dIhY1, hI * dIwX2, wI * dIhY2};
        double[] dAp = {-ph, -pw, ph, pw};
        double iou = inter / u;
        if (!generalised) {
            if (iou <= eps) {
                java.util.Arrays.fill(g, 0);
                return 1 - eps;
            }
            // L = 1 − I/U
            double dLdI = -1 / u;
            double dLdU = inter / (u * u);
            for (int c = 0; c < 4; c++) {
                g[c] = dLdI * dI[c] + dLdU * uActive * (dAp[c] - dI[c]);
            }
            return 1 - iou;
        }
        double ew = Math.max(x2, tx2) - Math.min(x1, tx1);
        double eh = Math.max(y2, ty2) - Math.min(y1, ty1);
        double ewc = Math.max(ew, 0);
        double ehc = Math.max(eh, 0);
        double e0 = ewc * ehc;
        double e = Math.max(e0, eps);
        double eActive = e0 > eps ? 1 : 0;
        double dEwX1 = ew > 0 ? -maxGradFirst(-x1, -tx1) : 0;
        double dEwX2 = ew > 0 ? maxGradFirst(x2, tx2) : 0;
        double dEhY1 = eh > 0 ? -maxGradFirst(-y1, -ty1) : 0;
        double dEhY2 = eh > 0 ? maxGradFirst(y2, ty2) : 0;
        double[] dE = {ehc * dEwX1, ewc * dEhY1, ehc * dEwX2, ewc * dEhY2};
        // L = 2 − I/U − U/E
        double dLdI = -1 / u;
        double dLdU = inter / (u * u) - 1 / e;
        double dLdE = u / (e * e);
        for (int c = 0; c < 4; c++) {
            g[c] = dLdI * dI[c] + dLdU * uActive * (dAp[c] - dI[c]) + dLdE * eActive * dE[c];
        }
        return 1 - (iou - (e - u) / e);
    }
}
