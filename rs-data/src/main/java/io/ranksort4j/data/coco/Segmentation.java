package io.ranksort4j.data.coco;

import java.util.List;

/** An instance mask as COCO stores it: polygons, or run-length encoding (crowd regions). */
public sealed interface Segmentation permits Segmentation.Polygons, Segmentation.Rle {

    /** One or more polygons, each {@code [x0, y0, x1, y1, ...]} in image pixels. */
    record Polygons(List<float[]> rings) implements Segmentation {
        public Polygons {
            rings = List.copyOf(rings);
        }
    }

    /**
     * Uncompressed column-major run lengths over an {@code height × width} image, starting with a run of
     * zeros (COCO's convention); compressed RLE strings are decoded into this form when read.
     */
    record Rle(int height, int width, int[] counts) implements Segmentation {
        /** The number of foreground pixels. */
        public long area() {
            long a = 0;
            for (int i = 1; i < counts.length; i += 2) {
                a += counts[i];
            }
            return a;
        }

        /** Encodes counts as COCO's compressed RLE string (pycocotools' {@code rleToString}). */
        public static String encodeCounts(int[] counts) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < counts.length; i++) {
                long x = counts[i];
                if (i > 2) {
                    x -= counts[i - 2];
                }
                boolean more = true;
                while (more) {
                    long c = x & 0x1f;
                    x >>= 5;
                    more = (c & 0x10) != 0 ? x != -1 : x != 0;
                    if (more) {
                        c |= 0x20;
                    }
                    sb.append((char) (c + 48));
                }
            }
            return sb.toString();
        }

        /** Decodes COCO's compressed RLE string (pycocotools' {@code rleFrString}). */
        public static int[] decodeCounts(String s) {
            int[] out = new int[s.length()];
            int m = 0;
            int p = 0;
            while (p < s.length()) {
                long x = 0;
                int k = 0;
                boolean more = true;
                while (more) {
                    if (p >= s.length()) {
                        throw new IllegalArgumentException("truncated compressed RLE string");
                    }
                    int c = s.charAt(p) - 48;
                    x |= (long) (c & 0x1f) << (5 * k);
                    more = (c & 0x20) != 0;
                    p++;
                    k++;
                    if (!more && (c & 0x10) != 0) {
                        x |= -1L << (5 * k);
                    }
                }
                if (m > 2) {
                    x += out[m - 2];
                }
                out[m++] = (int) x;
            }
            return java.util.Arrays.copyOf(out, m);
        }
    }
}
