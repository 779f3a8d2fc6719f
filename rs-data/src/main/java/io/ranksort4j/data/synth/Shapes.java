package io.ranksort4j.data.synth;

import java.awt.Color;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** The synthetic categories: each is one shape kind in one hue, so shape and colour both identify it. */
final class Shapes {
    static final String[] KINDS = {"ellipse", "rectangle", "triangle", "star", "hexagon", "cross", "crescent", "arrow"};
    static final String[] HUE_NAMES = {"red", "green", "blue", "yellow", "magenta", "cyan", "orange", "purple"};
    static final float[] HUES = {0.0f, 0.33f, 0.62f, 0.15f, 0.85f, 0.5f, 0.075f, 0.75f};

    private Shapes() {}

    /** Shape kind of category k: the first eight categories use distinct kinds and distinct hues. */
    static int kind(int k) {
        return k % KINDS.length;
    }

    /** Hue index of category k; beyond eight categories the hue shifts so (kind, hue) pairs stay unique. */
    static int hue(int k) {
        return (k + (k / KINDS.length) * 3) % HUES.length;
    }

    static String name(int k) {
        return HUE_NAMES[hue(k)] + "_" + KINDS[kind(k)];
    }

    /** A colour of category k's hue, jittered in saturation and brightness but never near grey. */
    static Color colour(int k, java.util.SplittableRandom r) {
        float h = HUES[hue(k)] + (float) (r.nextDouble() - 0.5) * 0.03f;
        float s = 0.65f + 0.35f * (float) r.nextDouble();
        float b = 0.7f + 0.3f * (float) r.nextDouble();
        return Color.getHSBColor((h + 1) % 1, s, b);
    }

    /** The outline of one object of a kind, centred at (cx, cy), w × h before rotation by {@code angle}. */
    static Shape outline(int kind, double cx, double cy, double w, double h, double angle) {
        Shape s = switch (KINDS[kind]) {
            case "ellipse" -> new Ellipse2D.Double(-w / 2, -h / 2, w, h);
            case "rectangle" -> new Rectangle2D.Double(-w / 2, -h / 2, w, h);
            case "triangle" -> polygon(new double[] {0, -h / 2, w / 2, h / 2, -w / 2, h / 2});
            case "star" -> star(w / 2, h / 2, 5, 0.45);
            case "hexagon" -> star(w / 2, h / 2, 3, 1.0);
            case "cross" -> {
                Area a = new Area(new Rectangle2D.Double(-w / 2, -h / 6, w, h / 3));
                a.add(new Area(new Rectangle2D.Double(-w / 6, -h / 2, w / 3, h)));
                yield a;
            }
            case "crescent" -> {
                Area a = new Area(new Ellipse2D.Double(-w / 2, -h / 2, w, h));
                a.subtract(new Area(new Ellipse2D.Double(-w / 2 + w * 0.35, -h / 2 - h * 0.1, w, h * 1.2)));
                yield a;
            }
            case "arrow" -> polygon(new double[] {-w / 2, -h / 6, w / 6, -h / 6, w / 6, -h / 2, w / 2, 0, w / 6, h / 2, w / 6, h / 6, -w / 2, h / 6});
            default -> throw new IllegalStateException(KINDS[kind]);
        };
        AffineTransform t = new AffineTransform();
        t.translate(cx, cy);
        t.rotate(angle);
        return t.createTransformedShape(s);
    }

    private static Shape polygon(double[] xy) {
        Path2D.Double p = new Path2D.Double();
        p.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            p.lineTo(xy[i], xy[i + 1]);
        }
        p.closePath();
        return p;
    }

    /** A star with {@code points} tips (inner radius ratio {@code inner}); points=3, inner=1 gives a hexagon. */
    private static Shape star(double rx, double ry, int points, double inner) {
        int n = points * 2;
        double[] xy = new double[n * 2];
        for (int i = 0; i < n; i++) {
            double a = -Math.PI / 2 + i * Math.PI / points;
            double r = i % 2 == 0 ? 1 : inner;
            xy[2 * i] = rx * r * Math.cos(a);
            xy[2 * i + 1] = ry * r * Math.sin(a);
        }
        return polygon(xy);
    }
}
