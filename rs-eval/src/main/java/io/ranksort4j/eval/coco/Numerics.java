package io.ranksort4j.eval.coco;

/** The numpy arithmetic the reference evaluators rely on: linspace thresholds, pairwise sums, stable sorts. */
public final class Numerics {
    /** {@code np.spacing(1)}: the eps in pycocotools' precision. */
    public static final double EPS = Math.ulp(1.0);

    private Numerics() {}

    /** {@code np.linspace(.5, 0.95, 10)}: note element 8 is 0.8999999999999999. */
    public static double[] iouThresholds() {
        double step = (0.95 - 0.5) / 9;
        double[] t = new double[10];
        for (int k = 0; k < 9; k++) {
            t[k] = 0.5 + k * step;
        }
        t[9] = 0.95;
        return t;
    }

    /** {@code np.linspace(0, 1, 101)}: {@code i * 0.01}, so ten of them differ from {@code i / 100.0}. */
    public static double[] recallThresholds() {
        double step = 1.0 / 100;
        double[] r = new double[101];
        for (int i = 0; i < 100; i++) {
            r[i] = i * step;
        }
        r[100] = 1.0;
        return r;
    }

    /** {@code np.mean} of {@code a[0..n)}: first element plus numpy's pairwise sum of the rest, over n. */
    public static double mean(double[] a, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double s = a[0] + pairwise(a, 1, n - 1);
        return s / n;
    }

    private static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= 128) {
            double r0 = a[off], r1 = a[off + 1], r2 = a[off + 2], r3 = a[off + 3];
            double r4 = a[off + 4], r5 = a[off + 5], r6 = a[off + 6], r7 = a[off + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[off + i];
                r1 += a[off + i + 1];
                r2 += a[off + i + 2];
                r3 += a[off + i + 3];
                r4 += a[off + i + 4];
                r5 += a[off + i + 5];
                r6 += a[off + i + 6];
                r7 += a[off + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
        }
    }

    /** Mean of the entries {@code > -1} (the reference's "valid" entries), -1 if there are none. */
    public static double meanValid(double[] a, int n) {
        double[] v = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (a[i] > -1) {
                v[m++] = a[i];
            }
        }
        return m == 0 ? -1 : mean(v, m);
    }

    /**
     * Stable permutation sorting {@code keys[0..n)} by descending value, as numpy's
     * {@code argsort(-keys, kind='mergesort')}: equal keys (including -0.0 and 0.0) keep their order.
     */
    public static int[] argsortDescendingStable(double[] keys, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        boolean sorted = true;
        for (int i = 1; i < n; i++) {
            if (keys[i] > keys[i - 1]) {
                sorted = false;
                break;
            }
        }
        if (sorted) {
            return idx;
        }
        int[] tmp = new int[n];
        // bottom-up merge sort; insertion sort on small runs first
        final int run = 16;
        for (int lo = 0; lo < n; lo += run) {
            int hi = Math.min(lo + run, n);
            for (int i = lo + 1; i < hi; i++) {
                int v = idx[i];
                double kv = keys[v];
                int j = i - 1;
                while (j >= lo && keys[idx[j]] < kv) {
                    idx[j + 1] = idx[j];
                    j--;
                }
                idx[j + 1] = v;
            }
        }
        int[] src = idx, dst = tmp;
        for (int width = run; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n), hi = Math.min(lo + 2 * width, n);
                int i = lo, j = mid, k = lo;
                while (i < mid && j < hi) {
                    // take from the right only when strictly greater: stability
                    if (keys[src[j]] > keys[src[i]]) {
                        dst[k++] = src[j++];
                    } else {
                        dst[k++] = src[i++];
                    }
                }
                while (i < mid) {
                    dst[k++] = src[i++];
                }
                while (j < hi) {
                    dst[k++] = src[j++];
                }
            }
            int[] t = src;
            src = dst;
            dst = t;
        }
        return src;
    }
}
