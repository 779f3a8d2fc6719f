package io.ranksort4j.data.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Renders one synthetic image and its instances (visible polygons after occlusion, boxes, areas, crowd RLE). */
final class SynthImage {
    /** One annotated instance; {@code rle} is set (and {@code polygons} empty) for a crowd region. */
    record Instance(int label, List<float[]> polygons, double x, double y, double w, double h, double area,
                    boolean crowd, int[] rle) {}

    /** The rendered picture and its instances. */
    record Result(BufferedImage image, List<Instance> instances) {}

    private record Placed(int label, Shape shape, Area area, double fullArea) {}

    private SynthImage() {}

    static Result render(SynthParams p, double[] categoryWeights, SplittableRandom r) {
        int size = p.size();
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        background(g, size, r);

        List<Instance> out = new ArrayList<>();
        Rectangle2D crowdBox = null;
        if (r.nextDouble() < p.crowdFraction()) {
            crowdBox = crowd(g, p, categoryWeights, r, out);
        }

        int n = p.minObjects() + r.nextInt(p.maxObjects() - p.minObjects() + 1);
        List<Placed> placed = new ArrayList<>();
        double lo = Math.log(Math.max(4, p.minScale() * size));
        double hi = Math.log(Math.max(4, p.maxScale() * size));
        for (int i = 0; i < n; i++) {
            int label = pick(categoryWeights, r);
            int kind = Shapes.kind(label);
            for (int attempt = 0; attempt < 30; attempt++) {
                double s = Math.exp(lo + (hi - lo) * r.nextDouble());
                double aspect = 0.7 + 0.7 * r.nextDouble();
                double w = aspect > 1 ? s : s * aspect;
                double h = aspect > 1 ? s / aspect : s;
                double angle = kind == 0 || kind == 1 ? r.nextDouble() * Math.PI : (r.nextDouble() - 0.5) * 0.8;
                Shape probe = Shapes.outline(kind, 0, 0, w, h, angle);
                Rectangle2D b = probe.getBounds2D();
                if (b.getWidth() >= size - 2 || b.getHeight() >= size - 2) {
                    continue;
                }
                double cx = 1 - b.getMinX() + r.nextDouble() * (size - 2 - b.getWidth());
                double cy = 1 - b.getMinY() + r.nextDouble() * (size - 2 - b.getHeight());
                Shape shape = Shapes.outline(kind, cx, cy, w, h, angle);
                if (crowdBox != null && shape.intersects(crowdBox)) {
                    continue;
                }
                Area area = new Area(shape);
                if (acceptable(placed, area)) {
                    for (Placed q : placed) {
                        q.area().subtract(area);
                    }
                    placed.add(new Placed(label, shape, area, polygonArea(area)));
                    break;
                }
            }
        }
        for (Placed q : placed) {
            paintObject(g, q.shape(), Shapes.colour(q.label(), r), r);
        }
        g.dispose();
        noise(img, r, 6);
        for (Placed q : placed) {
            Rectangle2D b = q.area().getBounds2D();
            out.add(new Instance(q.label(), polygons(q.area()), b.getX(), b.getY(), b.getWidth(), b.getHeight(),
                    polygonArea(q.area()), false, null));
        }
        return new Result(img, out);
    }

    /** Occlusion may hide at most half of an earlier object and must not punch a hole in it (COCO polygons have none). */
    private static boolean acceptable(List<Placed> placed, Area candidate) {
        for (Placed q : placed) {
            if (!q.area().getBounds2D().intersects(candidate.getBounds2D())) {
                continue;
            }
            Area rest = new Area(q.area());
            rest.subtract(candidate);
            if (polygonArea(rest) < 0.5 * q.fullArea() || hasHole(rest)) {
                return false;
            }
            Rectangle2D b = rest.getBounds2D();
            if (b.getWidth() < 6 || b.getHeight() < 6) {
                return false;
            }
        }
        return true;
    }

    private static int pick(double[] weights, SplittableRandom r) {
        double u = r.nextDouble() * weights[weights.length - 1];
        for (int i = 0; i < weights.length; i++) {
            if (u < weights[i]) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static Color muted(SplittableRandom r) {
        return Color.getHSBColor((float) r.nextDouble(), 0.05f + 0.15f * (float) r.nextDouble(), 0.3f + 0.6f * (float) r.nextDouble());
    }

    private static void background(Graphics2D g, int size, SplittableRandom r) {
        int type = r.nextInt(4);
        Color a = muted(r);
        Color b = muted(r);
        if (type == 2) {
            int period = 10 + r.nextInt(31);
            g.setColor(a);
            g.fillRect(0, 0, size, size);
            g.setColor(b);
            boolean checker = r.nextBoolean();
            for (int y = 0; y < size; y += period) {
                for (int x = 0; x < size; x += period) {
                    if (checker ? ((x / period + y / period) % 2 == 0) : (x / period) % 2 == 0) {
                        g.fillRect(x, y, period, period);
                    }
                }
            }
            return;
        }
        g.setPaint(new GradientPaint(0, 0, a, (float) (size * r.nextDouble()), size, b));
        g.fillRect(0, 0, size, size);
        if (type == 3) {
            int blobs = 10 + r.nextInt(16);
            for (int i = 0; i < blobs; i++) {
                Color c = muted(r);
                g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 140));
                double w = size * (0.03 + 0.15 * r.nextDouble());
                double h = size * (0.03 + 0.15 * r.nextDouble());
                double x = r.nextDouble() * size;
                double y = r.nextDouble() * size;
                g.fill(r.nextBoolean() ? new Ellipse2D.Double(x, y, w, h) : new Rectangle2D.Double(x, y, w, h));
            }
        }
        if (type == 1) {
            g.setStroke(new BasicStroke(1f));
            for (int i = 0; i < size / 2; i++) {
                Color c = r.nextBoolean() ? a.darker() : b.brighter();
                g.setColor(c);
                double x = r.nextDouble() * size;
                double y = r.nextDouble() * size;
                g.draw(new Line2D.Double(x, y, x + (r.nextDouble() - 0.5) * 12, y + (r.nextDouble() - 0.5) * 12));
            }
        }
    }

    private static void paintObject(Graphics2D g, Shape shape, Color c, SplittableRandom r) {
        g.setColor(c);
        g.fill(shape);
        double t = r.nextDouble();
        Shape oldClip = g.getClip();
        if (t < 0.35) {
            // Stripes in a darker shade of the same hue: texture without changing the category's colour.
            g.setClip(shape);
            g.setColor(shade(c, 0.72f));
            g.setStroke(new BasicStroke(1.5f + 2f * (float) r.nextDouble()));
            Rectangle2D b = shape.getBounds2D();
            double spacing = 5 + 5 * r.nextDouble();
            AffineTransform old = g.getTransform();
            g.rotate(r.nextDouble() * Math.PI, b.getCenterX(), b.getCenterY());
            double d = Math.hypot(b.getWidth(), b.getHeight());
            for (double o = -d; o < d; o += spacing) {
                g.draw(new Line2D.Double(b.getCenterX() + o, b.getCenterY() - d, b.getCenterX() + o, b.getCenterY() + d));
            }
            g.setTransform(old);
            g.setClip(oldClip);
        } else if (t < 0.6) {
            g.setClip(shape);
            g.setColor(shade(c, 0.8f));
            Rectangle2D b = shape.getBounds2D();
            int dots = (int) (b.getWidth() * b.getHeight() / 40);
            for (int i = 0; i < dots; i++) {
                double rad = 1 + 2 * r.nextDouble();
                g.fill(new Ellipse2D.Double(b.getX() + r.nextDouble() * b.getWidth(), b.getY() + r.nextDouble() * b.getHeight(), rad, rad));
            }
            g.setClip(oldClip);
        }
        if (r.nextDouble() < 0.3) {
            g.setColor(shade(c, 0.55f));
            g.setStroke(new BasicStroke(1.5f));
            g.draw(shape);
        }
    }

    private static Color shade(Color c, float f) {
        return new Color(Math.round(c.getRed() * f), Math.round(c.getGreen() * f), Math.round(c.getBlue() * f));
    }

    /** A crowd: a cluster of small same-category objects annotated as one iscrowd region with an RLE mask. */
    private static Rectangle2D crowd(Graphics2D g, SynthParams p, double[] weights, SplittableRandom r, List<Instance> out) {
        int size = p.size();
        int label = pick(weights, r);
        double rw = size * (0.25 + 0.15 * r.nextDouble());
        double rh = size * (0.15 + 0.1 * r.nextDouble());
        double rx = r.nextDouble() * (size - rw);
        double ry = r.nextDouble() * (size - rh);
        Area union = new Area();
        int members = 6 + r.nextInt(7);
        double s = Math.max(6, Math.min(rw, rh) * 0.35);
        for (int i = 0; i < members; i++) {
            double w = s * (0.7 + 0.3 * r.nextDouble());
            double cx = rx + w / 2 + r.nextDouble() * (rw - w);
            double cy = ry + w / 2 + r.nextDouble() * (rh - w);
            Shape sh = Shapes.outline(Shapes.kind(label), cx, cy, w, w, (r.nextDouble() - 0.5) * 0.8);
            paintObject(g, sh, Shapes.colour(label, r), r);
            union.add(new Area(sh));
        }
        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D mg = mask.createGraphics();
        mg.setColor(Color.WHITE);
        mg.fill(union);
        mg.dispose();
        byte[] m = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        int[] counts = columnMajorRuns(m, size, size);
        long area = 0;
        for (int i = 1; i < counts.length; i += 2) {
            area += counts[i];
        }
        // The box comes from the rasterised mask, which the image edge clips; the shapes' outline may stick out.
        int x0 = size;
        int y0 = size;
        int x1 = -1;
        int y1 = -1;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (m[y * size + x] != 0) {
                    x0 = Math.min(x0, x);
                    y0 = Math.min(y0, y);
                    x1 = Math.max(x1, x);
                    y1 = Math.max(y1, y);
                }
            }
        }
        if (x1 >= 0) {
            out.add(new Instance(label, List.of(), x0, y0, x1 - x0 + 1, y1 - y0 + 1, area, true, counts));
        }
        return new Rectangle2D.Double(rx - 2, ry - 2, rw + 4, rh + 4);
    }

    /** COCO's uncompressed RLE: column-major runs starting with background. */
    static int[] columnMajorRuns(byte[] rowMajor, int h, int w) {
        int[] runs = new int[h * w + 1];
        int n = 0;
        int run = 0;
        boolean fg = false;
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                boolean v = rowMajor[y * w + x] != 0;
                if (v != fg) {
                    runs[n++] = run;
                    run = 0;
                    fg = v;
                }
                run++;
            }
        }
        runs[n++] = run;
        return java.util.Arrays.copyOf(runs, n);
    }

    private static void noise(BufferedImage img, SplittableRandom r, int amp) {
        byte[] d = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < d.length; i++) {
            int v = (d[i] & 0xff) + r.nextInt(2 * amp + 1) - amp;
            d[i] = (byte) Math.max(0, Math.min(255, v));
        }
    }

    /** The closed sub-paths of an area as COCO polygons (flattened curves). */
    static List<float[]> polygons(Area a) {
        List<float[]> out = new ArrayList<>();
        float[] buf = new float[64];
        int n = 0;
        double[] c = new double[6];
        for (PathIterator it = a.getPathIterator(null, 0.5); !it.isDone(); it.next()) {
            int seg = it.currentSegment(c);
            if (seg == PathIterator.SEG_MOVETO) {
                n = 0;
            }
            if (seg == PathIterator.SEG_MOVETO || seg == PathIterator.SEG_LINETO) {
                if (n + 2 > buf.length) {
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                buf[n++] = (float) (Math.round(c[0] * 100) / 100.0);
                buf[n++] = (float) (Math.round(c[1] * 100) / 100.0);
            } else if (seg == PathIterator.SEG_CLOSE && n >= 6) {
                out.add(java.util.Arrays.copyOf(buf, n));
                n = 0;
            }
        }
        return out;
    }

    private static double signedArea(float[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i += 2) {
            int j = (i + 2) % p.length;
            s += (double) p[i] * p[j + 1] - (double) p[j] * p[i + 1];
        }
        return s / 2;
    }

    /** Area of an {@link Area}: outer rings minus holes (they wind the other way). */
    static double polygonArea(Area a) {
        return Math.abs(polygons(a).stream().mapToDouble(SynthImage::signedArea).sum());
    }

    private static boolean hasHole(Area a) {
        boolean pos = false;
        boolean neg = false;
        for (float[] p : polygons(a)) {
            double s = signedArea(p);
            pos |= s > 0;
            neg |= s < 0;
        }
        return pos && neg;
    }
}
