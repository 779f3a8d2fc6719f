package io.ranksort4j.core.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;

/** Frame, grid, ticks and labels shared by the chart types. */
final class Axes {
    private Axes() {}

    static void draw(Graphics2D g, LinePlot.Frame f, String title, String xLabel, String yLabel, int width, int height) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 5; i++) {
            double xv = f.xr()[0] + (f.xr()[1] - f.xr()[0]) * i / 5;
            double yv = f.yr()[0] + (f.yr()[1] - f.yr()[0]) * i / 5;
            int px = (int) Math.round(f.px(xv));
            int py = (int) Math.round(f.py(yv));
            g.setColor(new Color(230, 230, 230));
            g.setStroke(new BasicStroke(1f));
            g.drawLine(px, f.y0(), px, f.y0() + f.h());
            g.drawLine(f.x0(), py, f.x0() + f.w(), py);
            g.setColor(Color.DARK_GRAY);
            String xs = tick(xv);
            g.drawString(xs, px - g.getFontMetrics().stringWidth(xs) / 2, f.y0() + f.h() + 15);
            String ys = tick(yv);
            g.drawString(ys, f.x0() - 6 - g.getFontMetrics().stringWidth(ys), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawRect(f.x0(), f.y0(), f.w(), f.h());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, (width - g.getFontMetrics().stringWidth(title)) / 2, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(xLabel, f.x0() + (f.w() - g.getFontMetrics().stringWidth(xLabel)) / 2, height - 12);
        AffineTransform old = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(f.y0() + (f.h() + g.getFontMetrics().stringWidth(yLabel)) / 2), 16);
        g.setTransform(old);
    }

    static String tick(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e5 || a < 1e-3)) {
            return String.format("%.1e", v);
        }
        if (a >= 100) {
            return String.format("%.0f", v);
        }
        return String.format(a >= 10 ? "%.1f" : "%.3f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }
}
