package io.ranksort4j.eval.data;

import io.ranksort4j.eval.mask.MaskApi;
import io.ranksort4j.eval.mask.Rle;

/** An annotation's or detection's mask as it appears in COCO JSON: polygons or RLE. */
public sealed interface Segmentation {

    /** The mask as an RLE; polygons are rasterised on the image's {@code h x w}, RLEs keep their own size. */
    Rle toRle(int imageHeight, int imageWidth);

    /** One or more polygons {@code [x0, y0, x1, y1, ...]}, unioned. */
    record Polygons(double[][] parts) implements Segmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return MaskApi.frPolygons(parts, imageHeight, imageWidth);
        }
    }

    /** RLE with counts as a JSON list (COCO's crowd regions). */
    record RleCounts(int h, int w, int[] counts) implements Segmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return new Rle(h, w, counts);
        }
    }

    /** RLE with the compressed counts string (results, LVIS). */
    record RleString(int h, int w, String counts) implements Segmentation {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return Rle.fromCompressedString(counts, h, w);
        }
    }
}
