package io.ranksort4j.eval.mask;

import java.util.Arrays;

/** pycocotools' maskApi.c in Java, bit for bit: polygon and box rasterisation, merge, IoU. */
public final class MaskApi {
    private MaskApi() {}

    /** Rasterises one polygon {@code x0,y0,x1,y1,...} (odd trailing value ignored) into an h x w RLE. */
    public static Rle frPoly(double[] xy, int h, int w) {
        int k = xy.length / 2;
        double scale = 5;
        int[] x = new int[k + 1];
        int[] y = new int[k + 1];
        for (int j = 0; j < k; j++) {
            x[j] = (int) (scale * xy[j * 2] + .5);
        }
        x[k] = x[0];
        for (int j = 0; j < k; j++) {
            y[j] = (int) (scale * xy[j * 2 + 1] + .5);
        }
        y[k] = y[0];
        long total = 0;
        for (int j = 0; j < k; j++) {
            total += Math.max(Math.abs(x[j] - x[j + 1]), Math.abs(y[j] - y[j + 1])) + 1;
        }
        int[] u = new int[(int) total];
        int[] v = new int[(int) total];
        int m = 0;
        for (int j = 0; j < k; j++) {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            int dx = Math.abs(xe - xs), dy = Math.abs(ys - ye);
            boolean flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip) {
                int t = xs;
                xs = xe;
                xe = t;
                t = ys;
                ys = ye;
                ye = t;
            }
            double s = dx >= dy ? (double) (ye - ys) / dx : (double) (xe - xs) / dy;
            if (dx >= dy) {
                for (int d = 0; d <= dx; d++) {
                    int t = flip ? dx - d : d;
                    u[m] = t + xs;
                    v[m] = (int) (ys + s * t + .5);
                    m++;
                }
            } else {
                for (int d = 0; d <= dy; d++) {
                    int t = flip ? dy - d : d;
                    v[m] = t + ys;
                    u[m] = (int) (xs + s * t + .5);
                    m++;
                }
            }
        }
        int np = m;
        long[] a = new long[np + 1];
        int na = 0;
        for (int j = 1; j < np; j++) {
            if (u[j] != u[j - 1]) {
                double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
                xd = (xd + .5) / scale - .5;
                if (Math.floor(xd) != xd || xd < 0 || xd > w - 1) {
                    continue;
                }
                double yd = Math.min(v[j], v[j - 1]);
                yd = (yd + .5) / scale - .5;
                if (yd < 0) {
                    yd = 0;
                } else if (yd > h) {
                    yd = h;
                }
                yd = Math.ceil(yd);
                // uint wrap as in C, though images never get that large
                a[na++] = (((long) (int) xd * h + (int) yd) & 0xffffffffL);
            }
        }
        a[na++] = ((long) h * w) & 0xffffffffL;
        Arrays.sort(a, 0, na);
        long p = 0;
        for (int j = 0; j < na; j++) {
            long t = a[j];
            a[j] -= p;
            p = t;
        }
        int[] b = new int[na];
        int j = 0;
        m = 0;
        b[m++] = (int) a[j++];
        while (j < na) {
            if (a[j] > 0) {
                b[m++] = (int) a[j++];
            } else {
                j++;
                if (j < na) {
                    b[m - 1] += (int) a[j++];
                }
            }
        }
        return new Rle(h, w, Arrays.copyOf(b, m));
    }

    /** Rasterises a box {@code [x, y, w, h]} as the polygon pycocotools builds from it. */
    public static Rle frBbox(double[] bb, int h, int w) {
        double xs = bb[0], xe = xs + bb[2], ys = bb[1], ye = ys + bb[3];
        return frPoly(new double[] {xs, ys, xs, ye, xe, ye, xe, ys}, h, w);
    }

    /** Rasterises every part alone and unions them, like {@code merge(frPyObjects(polys, h, w))}. */
    public static Rle frPolygons(double[][] parts, int h, int w) {
        Rle[] rles = new Rle[parts.length];
        for (int i = 0; i < parts.length; i++) {
            rles[i] = frPoly(parts[i], h, w);
        }
        return merge(rles, false);
    }

    /** Union (or intersection) of RLEs; differing sizes give the empty 0x0 RLE, as in maskApi. */
    public static Rle merge(Rle[] r, boolean intersect) {
        int n = r.length;
        if (n == 0) {
            return Rle.NONE;
        }
        int h = r[0].h(), w = r[0].w();
        int m = r[0].counts().length;
        if (n == 1) {
            return new Rle(h, w, r[0].counts().clone());
        }
        int cap = m;
        for (Rle x : r) {
            cap += x.counts().length;
        }
        int[] cnts = Arrays.copyOf(r[0].counts(), cap + 1);
        for (int i = 1; i < n; i++) {
            Rle bR = r[i];
            if (bR.h() != h || bR.w() != w) {
                h = w = m = 0;
                break;
            }
            int[] aC = Arrays.copyOf(cnts, m);
            int[] bC = bR.counts();
            int am = aC.length, bm = bC.length;
            long ca = am > 0 ? Integer.toUnsignedLong(aC[0]) : 0;
            long cb = bm > 0 ? Integer.toUnsignedLong(bC[0]) : 0;
            boolean v = false, va = false, vb = false;
            m = 0;
            int a = 1, b = 1;
            long cc = 0;
            long ct = 1;
            while (ct > 0) {
                long c = Math.min(ca, cb);
                cc += c;
                ct = 0;
                ca -= c;
                if (ca == 0 && a < am) {
                    ca = Integer.toUnsignedLong(aC[a++]);
                    va = !va;
                }
                ct += ca;
                cb -= c;
                if (cb == 0 && b < bm) {
                    cb = Integer.toUnsignedLong(bC[b++]);
                    vb = !vb;
                }
                ct += cb;
                boolean vp = v;
                v = intersect ? va && vb : va || vb;
                if (v != vp || ct == 0) {
                    if (m >= cnts.length) {
                        cnts = Arrays.copyOf(cnts, cnts.length * 2 + 2);
                    }
                    cnts[m++] = (int) cc;
                    cc = 0;
                }
            }
        }
        return new Rle(h, w, Arrays.copyOf(cnts, m));
    }

    /** Box IoU as maskApi's bbIou: for a crowd GT the union is the detection's area. */
    public static double bbIou(double[] d, double[] g, boolean crowd) {
        return bbIou(d[0], d[1], d[2], d[3], g[0], g[1], g[2], g[3], crowd);
    }

    /** Box IoU on unpacked {@code x, y, w, h}. */
    public static double bbIou(double dx, double dy, double dw, double dh, double gx, double gy, double gw, double gh, boolean crowd) {
        double ga = gw * gh;
        double da = dw * dh;
        double w = Math.min(dw + dx, gw + gx) - Math.max(dx, gx);
        if (w <= 0) {
            return 0;
        }
        double h = Math.min(dh + dy, gh + gy) - Math.max(dy, gy);
        if (h <= 0) {
            return 0;
        }
        double i = w * h;
        double u = crowd ? da : da + ga - i;
        return i / u;
    }

    /**
     * Mask IoU as maskApi's rleIou, given the masks' boxes ({@link Rle#toBbox()}) for the pre-check:
     * 0 where the boxes do not overlap, -1 for masks of different sizes.
     */
    public static double rleIou(Rle dt, double[] dtBox, Rle gt, double[] gtBox, boolean crowd) {
        double o = bbIou(dtBox, gtBox, crowd);
        if (!(o > 0)) {
            return o;
        }
        if (dt.h() != gt.h() || dt.w() != gt.w()) {
            return -1;
        }
        int[] dc = dt.counts();
        int[] gc = gt.counts();
        int ka = dc.length, kb = gc.length;
        long ca = Integer.toUnsignedLong(dc[0]);
        long cb = Integer.toUnsignedLong(gc[0]);
        boolean va = false, vb = false;
        int a = 1, b = 1;
        long i = 0, u = 0;
        long ct = 1;
        while (ct > 0) {
            long c = Math.min(ca, cb);
            if (va || vb) {
                u += c;
                if (va && vb) {
                    i += c;
                }
            }
            ct = 0;
            ca -= c;
            if (ca == 0 && a < ka) {
                ca = Integer.toUnsignedLong(dc[a++]);
                va = !va;
            }
            ct += ca;
            cb -= c;
            if (cb == 0 && b < kb) {
                cb = Integer.toUnsignedLong(gc[b++]);
                vb = !vb;
            }
            ct += cb;
        }
        if (i == 0) {
            u = 1;
        } else if (crowd) {
            u = dt.area();
        }
        return (double) (i & 0xffffffffL) / (double) (u & 0xffffffffL);
    }

    /** IoU of two RLEs, computing their boxes. */
    public static double rleIou(Rle dt, Rle gt, boolean crowd) {
        return rleIou(dt, dt.toBbox(), gt, gt.toBbox(), crowd);
    }
}
