package io.ranksort4j.data.transform;

/** Horizontal flips of boxes, masks and planar images; each is its own inverse. */
public final class Flip {
    private Flip() {}

    /** Mirrors {@code xyxy} boxes in an image {@code width} wide: x1' = W − x2, x2' = W − x1. */
    public static void boxes(float[] xyxy, int width) {
        for (int i = 0; i < xyxy.length; i += 4) {
            float x1 = xyxy[i];
            xyxy[i] = width - xyxy[i + 2];
            xyxy[i + 2] = width - x1;
        }
    }

    /** Mirrors a row-major {@code w × h} bitmap in place. */
    public static void mask(byte[] m, int w, int h) {
        for (int y = 0; y < h; y++) {
            int o = y * w;
            for (int a = o, b = o + w - 1; a < b; a++, b--) {
                byte t = m[a];
                m[a] = m[b];
                m[b] = t;
            }
        }
    }

    /** Mirrors a planar {@code c × h × w} float image in place. */
    public static void image(float[] chw, int c, int w, int h) {
        for (int r = 0; r < c * h; r++) {
            int o = r * w;
            for (int a = o, b = o + w - 1; a < b; a++, b--) {
                float t = chw[a];
                chw[a] = chw[b];
                chw[b] = t;
            }
        }
    }
}
