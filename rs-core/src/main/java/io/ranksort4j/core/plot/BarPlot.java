package io.ranksort4j.core.plot;

import io.ranksort4j.core.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Renders labelled horizontal bars with ± error whiskers (e.g. AP per ablation variant, mean ± std) to PNG. */
public final class BarPlot {
    /** One bar: its label, value and half-width of the whisker (0 for none). */
    public record Bar(String label, double value, double error) {}

    private final String title;
    private final String valueLabel;
    private final List<Bar> bars = new ArrayList<>();

    public BarPlot(String title, String valueLabel) {
        this.title = title;
        this.valueLabel = valueLabel;
    }

    public BarPlot add(String label, double value, double error) {
        bars.add(new Bar(label, value, error));
        return this;
    }

    /** Draws the chart (height grows with the number of bars) and writes it atomically as PNG. */
    public void write(Path png, int width) {
        BufferedImage img = render(width);
        AtomicFiles.write(png, out -> ImageIO.write(img, "png", out));
    }

    BufferedImage render(int width) {
        System.setProperty("java.awt.headless", "true");
        int row = 34;
        int top = 44;
        int bottom = 46;
        int height = top + bottom + row * Math.max(1, bars.size());
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        g.setFont(plain);
        int left = 20;
        for (Bar b : bars) {
            left = Math.max(left, g.getFontMetrics().stringWidth(b.label()) + 20);
        }
        double max = 0;
        for (Bar b : bars) {
            max = Math.max(max, b.value() + Math.max(0, b.error()));
        }
        max = max > 0 ? max * 1.1 : 1;
        int w = width - left - 80;
        double scale = w / max;
        for (int i = 0; i <= 5; i++) {
            double v = max * i / 5;
            int px = left + (int) Math.round(v * scale);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, top, px, height - bottom);
            g.setColor(Color.DARK_GRAY);
            String s = Axes.tick(v);
            g.drawString(s, px - g.getFontMetrics().stringWidth(s) / 2, height - bottom + 15);
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar b = bars.get(i);
            int y = top + i * row + 6;
            int len = (int) Math.round(Math.max(0, b.value()) * scale);
            g.setColor(LinePlot.PALETTE[i % LinePlot.PALETTE.length]);
            g.fillRect(left, y, len, row - 12);
            g.setColor(Color.DARK_GRAY);
            g.drawString(b.label(), left - 10 - g.getFontMetrics().stringWidth(b.label()), y + row / 2);
            int mid = y + (row - 12) / 2;
            if (b.error() > 0) {
                int lo = left + (int) Math.round(Math.max(0, b.value() - b.error()) * scale);
                int hi = left + (int) Math.round((b.value() + b.error()) * scale);
                g.setStroke(new BasicStroke(1.5f));
                g.drawLine(lo, mid, hi, mid);
                g.drawLine(lo, mid - 5, lo, mid + 5);
                g.drawLine(hi, mid - 5, hi, mid + 5);
            }
            String v = String.format(Locale.ROOT, b.error() > 0 ? "%.1f ± %.1f" : "%.1f", b.value(), b.error());
            int tx = left + (int) Math.round((b.value() + Math.max(0, b.error())) * scale) + 6;
            g.drawString(v, Math.min(tx, width - 5 - g.getFontMetrics().stringWidth(v)), mid + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, w, height - top - bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
        g.setFont(plain);
        g.drawString(valueLabel, left + (w - g.getFontMetrics().stringWidth(valueLabel)) / 2, height - 10);
        g.dispose();
        return img;
    }
}
