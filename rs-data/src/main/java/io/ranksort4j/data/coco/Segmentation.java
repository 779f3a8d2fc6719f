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
     * zeros (COCO's convention); compressed RLE strings are decoded into this form when read
     * ({@link io.ranksort4j.core.mask.RleString}).
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
    }
}
