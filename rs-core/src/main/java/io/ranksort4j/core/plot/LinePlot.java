package io.ranksort4j.core.plot;

import io.ranksort4j.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Renders line charts (loss curves, precision-recall curves) to PNG with plain java.awt, headless. */
public final class LinePlot {
    /** One named curve. */
    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': x has " + x.length + " points, y has " + y.length);
            }
        }
    }

    static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(214, 39, 40),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series = new ArrayList<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot add(Series s) {
        series.add(s);
        return this;
    }

    public LinePlot add(String name, double[] x, double[] y) {
        return add(new Series(name, x, y));
    }

    /** Whether no series was added. */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    /** Draws the chart and writes it atomically as PNG. */
    public void write(Path png, int width, int height) {
        BufferedImage img = render(width, height);
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }

    BufferedImage render(int width, int height) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int left = 70;
        int right = 20 + (series.size() > 1 ? 150 : 0);
        int top = 40;
        int bottom = 50;
        double[] xr = range(true);
        double[] yr = range(false);
        Frame f = new Frame(left, top, width - left - right, height - top - bottom, xr, yr);
        Axes.draw(g, f, title, xLabel, yLabel, width, height);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            g.setColor(PALETTE[i % PALETTE.length]);
            g.setStroke(new BasicStroke(1.8f));
            Path2D path = new Path2D.Double();
            boolean started = false;
            for (int k = 0; k < s.x().length; k++) {
                if (!Double.isFinite(s.y()[k]) || !Double.isFinite(s.x()[k])) {
                    started = false;
                    continue;
                }
                double px = f.px(s.x()[k]);
                double py = f.py(s.y()[k]);
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            g.draw(path);
            if (series.size() > 1) {
                int ly = top + 10 + i * 18;
                g.fillRect(width - right + 10, ly - 8, 14, 4);
                g.setColor(Color.DARK_GRAY);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                g.drawString(s.name(), width - right + 30, ly - 3);
            }
        }
        g.dispose();
        return img;
    }

    private double[] range(boolean xAxis) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : xAxis ? s.x() : s.y()) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            return new double[] {lo - 0.5, hi + 0.5};
        }
        double pad = xAxis ? 0 : (hi - lo) * 0.05;
        return new double[] {lo - pad, hi + pad};
    }

    /** The plotting area and its data ranges. */
    record Frame(int x0, int y0, int w, int h, double[] xr, double[] yr) {
        double px(double x) {
            return x0 + (x - xr[0]) / (xr[1] - xr[0]) * w;
        }

        double py(double y) {
            return y0 + h - (y - yr[0]) / (yr[1] - yr[0]) * h;
        }
    }
}
