package io.ranksort4j.data.transform;

import io.ranksort4j.data.coco.Segmentation;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Instance masks as bitmaps (row-major bytes, 1 = object) at a target size. */
public final class Masks {
    private Masks() {}

    /**
     * Rasterises a segmentation of an image {@code srcW × srcH} at {@code w × h}: polygons are scaled and
     * filled directly (sharper than resizing a bitmap); RLE is decoded and resized nearest-neighbour.
     */
    public static byte[] toBitmap(Segmentation seg, int srcW, int srcH, int w, int h) {
        if (seg instanceof Segmentation.Polygons p) {
            return fill(p, (double) w / srcW, (double) h / srcH, w, h);
        }
        Segmentation.Rle r = (Segmentation.Rle) seg;
        return resizeNearest(decode(r), r.width(), r.height(), w, h);
    }

    private static byte[] fill(Segmentation.Polygons p, double sx, double sy, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(1, 1, 1));
        for (float[] ring : p.rings()) {
            Path2D.Float path = new Path2D.Float();
            path.moveTo(ring[0] * sx, ring[1] * sy);
            for (int i = 2; i < ring.length; i += 2) {
                path.lineTo(ring[i] * sx, ring[i + 1] * sy);
            }
            path.closePath();
            g.fill(path);
        }
        g.dispose();
        return ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    }

    /** Uncompressed column-major RLE → row-major bitmap. */
    public static byte[] decode(Segmentation.Rle r) {
        int h = r.height();
        int w = r.width();
        byte[] m = new byte[w * h];
        int pos = 0;
        int[] counts = r.counts();
        for (int i = 0; i < counts.length; i++) {
            int n = counts[i];
            if ((i & 1) == 1) {
                for (int k = pos; k < pos + n; k++) {
                    m[(k % h) * w + k / h] = 1;
                }
            }
            pos += n;
        }
        return m;
    }

    public static byte[] resizeNearest(byte[] m, int w, int h, int ow, int oh) {
        if (w == ow && h == oh) {
            return m;
        }
        byte[] out = new byte[ow * oh];
        for (int y = 0; y < oh; y++) {
            int sy = Math.min(h - 1, (int) ((y + 0.5) * h / oh));
            for (int x = 0; x < ow; x++) {
                out[y * ow + x] = m[sy * w + Math.min(w - 1, (int) ((x + 0.5) * w / ow))];
            }
        }
        return out;
    }

    /** Number of set pixels. */
    public static long area(byte[] m) {
        long a = 0;
        for (byte b : m) {
            a += b != 0 ? 1 : 0;
        }
        return a;
    }
}
