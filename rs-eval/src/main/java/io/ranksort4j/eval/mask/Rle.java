package io.ranksort4j.eval.mask;

import io.ranksort4j.core.mask.RleString;
import java.util.Arrays;

/**
 * A binary mask as COCO run-length encoding: {@code counts} alternate 0-runs and 1-runs over the
 * pixels read column-major (index {@code x*h + y}), starting with a (possibly empty) 0-run.
 */
public record Rle(int h, int w, int[] counts) {

    /** The empty RLE pycocotools returns when merging nothing. */
    public static final Rle NONE = new Rle(0, 0, new int[0]);

    /** Number of foreground pixels (sum of the odd-index counts), as maskApi's uint. */
    public long area() {
        long a = 0;
        for (int j = 1; j < counts.length; j += 2) {
            a += Integer.toUnsignedLong(counts[j]);
        }
        return a & 0xffffffffL;
    }

    /** Tight pixel box {@code [x, y, w, h]}, all zero when empty (pycocotools 2.0.x rleToBbox). */
    public double[] toBbox() {
        int m = (counts.length / 2) * 2;
        if (m == 0) {
            return new double[4];
        }
        if (h <= 0 || (long) h * w > Integer.MAX_VALUE) {
            return toBboxWide(m);
        }
        // maskApi divides by h at every run end; positions only grow, so walking the column forward gives the
        // same x / y without divisions (this runs once per mask and dominated loading segm results)
        int xs = w, ys = h, xe = 0, ye = 0;
        long cc = 0;
        long colStart = 0;
        int x = 0;
        for (int j = 0; j < m; j++) {
            long start = cc;
            cc += counts[j];
            if ((j & 1) == 0 || counts[j] == 0) {
                continue;
            }
            while (start >= colStart + h) {
                colStart += h;
                x++;
            }
            int xStart = x, yStart = (int) (start - colStart);
            long last = cc - 1;
            if (last - colStart >= h) {
                long cols = (last - colStart) / h;
                colStart += cols * h;
                x += (int) cols;
            }
            int xEnd = x, yEnd = (int) (last - colStart);
            if (xStart < xs) {
                xs = xStart;
            }
            if (xEnd > xe) {
                xe = xEnd;
            }
            if (xStart < xEnd) {
                ys = 0;
                ye = h - 1;
            } else {
                if (yStart < ys) {
                    ys = yStart;
                }
                if (yEnd > ye) {
                    ye = yEnd;
                }
            }
        }
        return new double[] {xs, ys, (xe - xs + 1) & 0xffffffffL, (ye - ys + 1) & 0xffffffffL};
    }

    private double[] toBboxWide(int m) {
        long hh = h;
        long xs = w, ys = h, xe = 0, ye = 0, cc = 0;
        for (int j = 0; j < m; j++) {
            long start = cc;
            cc += Integer.toUnsignedLong(counts[j]);
            if (j % 2 == 0 || counts[j] == 0) {
                continue;
            }
            long yStart = start % hh, xStart = (start - yStart) / hh;
            long yEnd = (cc - 1) % hh, xEnd = (cc - 1 - yEnd) / hh;
            xs = Math.min(xs, xStart);
            xe = Math.max(xe, xEnd);
            if (xStart < xEnd) {
                ys = 0;
                ye = hh - 1;
            } else {
                ys = Math.min(ys, yStart);
                ye = Math.max(ye, yEnd);
            }
        }
        // uint arithmetic in C: an all-zero-run mask wraps, which we reproduce
        return new double[] {xs, ys, (xe - xs + 1) & 0xffffffffL, (ye - ys + 1) & 0xffffffffL};
    }

    /** The compressed counts string (LEB128-like, 6 bits per character, delta-coded from index 3). */
    public String toCompressedString() {
        return RleString.encode(counts);
    }

    /** Parses a compressed counts string of an {@code h x w} mask. */
    public static Rle fromCompressedString(String s, int h, int w) {
        return new Rle(h, w, RleString.decode(s));
    }

    /**
     * {@code [area, x, y, w, h]} of a compressed counts string without materialising its runs: loading a
     * segm results file needs exactly these for every mask, and allocating the runs dominated that step.
     * Equal to {@code fromCompressedString(s, h, w)}'s {@link #area()} and {@link #toBbox()}.
     */
    public static double[] areaAndBoxOfCompressed(String s, int h, int w) {
        if (h <= 0) {
            Rle r = fromCompressedString(s, h, w);
            double[] b = r.toBbox();
            return new double[] {r.area(), b[0], b[1], b[2], b[3]};
        }
        RleString.Reader counts = new RleString.Reader(s);
        long area = 0;
        int m = 0;
        int xs = w, ys = h, xe = 0, ye = 0;
        long cc = 0, colStart = 0;
        int x = 0;
        while (counts.hasNext()) {
            int cnt = counts.next();
            long start = cc;
            cc += Integer.toUnsignedLong(cnt);
            if ((m & 1) == 1) {
                area += Integer.toUnsignedLong(cnt);
                if (cnt != 0) {
                    while (start >= colStart + h) {
                        colStart += h;
                        x++;
                    }
                    int xStart = x, yStart = (int) (start - colStart);
                    long last = cc - 1;
                    if (last - colStart >= h) {
                        long cols = (last - colStart) / h;
                        colStart += cols * h;
                        x += (int) cols;
                    }
                    int xEnd = x, yEnd = (int) (last - colStart);
                    xs = Math.min(xs, xStart);
                    xe = Math.max(xe, xEnd);
                    if (xStart < xEnd) {
                        ys = 0;
                        ye = h - 1;
                    } else {
                        ys = Math.min(ys, yStart);
                        ye = Math.max(ye, yEnd);
                    }
                }
            }
            m++;
        }
        area &= 0xffffffffL;
        if (m < 2) {
            return new double[] {area, 0, 0, 0, 0};
        }
        return new double[] {area, xs, ys, (xe - xs + 1) & 0xffffffffL, (ye - ys + 1) & 0xffffffffL};
    }

    /** Encodes a column-major mask ({@code mask[x*h + y]}). */
    public static Rle encode(boolean[] mask, int h, int w) {
        return encode(mask, h, w, h, 1);
    }

    /**
     * Encodes a row-major mask ({@code mask[y*w + x]}, the layout images and pasted masks come in) without
     * transposing it first; same result as pycocotools' {@code encode(np.asfortranarray(mask))}.
     */
    public static Rle encodeRowMajor(boolean[] mask, int h, int w) {
        return encode(mask, h, w, 1, w);
    }

    /** Walks pixels in COCO's column-major order; {@code sx, sy} are the array strides of x and y. */
    private static Rle encode(boolean[] mask, int h, int w, int sx, int sy) {
        int a = h * w;
        if (mask.length < a) {
            throw new IllegalArgumentException("mask has " + mask.length + " pixels, " + h + "x" + w + " needs " + a);
        }
        int[] cnts = new int[a + 1];
        int k = 0;
        boolean p = false;
        int c = 0;
        for (int x = 0; x < w; x++) {
            for (int y = 0, i = x * sx; y < h; y++, i += sy) {
                if (mask[i] != p) {
                    cnts[k++] = c;
                    c = 0;
                    p = mask[i];
                }
                c++;
            }
        }
        cnts[k++] = c;
        return new Rle(h, w, Arrays.copyOf(cnts, k));
    }

    /** Decodes to a column-major mask ({@code mask[x*h + y]}); rejects counts that overrun h*w. */
    public boolean[] decode() {
        boolean[] mask = new boolean[h * w];
        int c = 0;
        boolean v = false;
        for (int cnt : counts) {
            if ((long) c + Integer.toUnsignedLong(cnt) > mask.length) {
                throw new IllegalArgumentException("RLE counts exceed " + h + "x" + w + " pixels");
            }
            if (v) {
                Arrays.fill(mask, c, c + cnt, true);
            }
            c += cnt;
            v = !v;
        }
        return mask;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rle r && r.h == h && r.w == w && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * h + w) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Rle[" + h + "x" + w + ", " + counts.length + " runs]";
    }
}
