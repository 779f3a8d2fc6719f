package io.ranksort4j.core.plot;

import io.ranksort4j.core.io.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/** Draws detections (boxes, class names with scores, translucent masks) onto an image with plain Java2D, headless. */
public final class DetectionPainter {
    /** How strongly a mask's class colour covers the image: 0.5 keeps what is under the mask visible. */
    public static final double MASK_ALPHA = 0.5;

    /**
     * One thing to draw: a box {@code (x1, y1, x2, y2)} in image pixels, the class that picks its colour, the label
     * text (e.g. "circle 0.87"), and a row-major mask ({@code mask[y * width + x]}) of the image's size, or null.
     */
    public record Item(double x1, double y1, double x2, double y2, int classIndex, String text, boolean[] mask) {}

    private DetectionPainter() {}

    /**
     * The colour of a class, the same in every image and every run: hues step by the golden angle, so neighbouring
     * class indices get far-apart hues and any number of classes (LVIS has 1203) gets a colour.
     */
    public static Color colorOf(int classIndex) {
        float hue = (float) ((classIndex * 0.6180339887498949 + 0.1) % 1.0);
        float saturation = classIndex % 2 == 0 ? 0.85f : 0.65f;
        return Color.getHSBColor(hue, saturation, 0.95f);
    }

    /** The box outline's width in pixels: thin lines vanish on large photos, so it grows with the image. */
    public static int lineWidth(int width, int height) {
        return Math.max(2, Math.min(width, height) / 200);
    }

    /** A copy of {@code image} (any type; the original is untouched) with the items drawn: masks first, then boxes, then labels on top. */
    public static BufferedImage paint(BufferedImage image, List<Item> items) {
        BufferedImage out = rgbCopy(image);
        int w = out.getWidth();
        int h = out.getHeight();
        for (Item it : items) {
            if (it.mask() != null) {
                blendMask(out, it.mask(), colorOf(it.classIndex()));
            }
        }
        Graphics2D g = out.createGraphics();
        int t = lineWidth(w, h);
        for (Item it : items) {
            int[] b = clip(it, w, h);
            if (b == null) {
                continue;
            }
            g.setColor(colorOf(it.classIndex()));
            // filled bands rather than a stroked rectangle: the outline covers exactly the pixels inside the box's edges,
            // with no antialiasing blur, whatever the stroke rules of the Java2D pipeline
            int bw = b[2] - b[0] + 1;
            int bh = b[3] - b[1] + 1;
            int tx = Math.min(t, bw);
            int ty = Math.min(t, bh);
            g.fillRect(b[0], b[1], bw, ty);
            g.fillRect(b[0], b[3] - ty + 1, bw, ty);
            g.fillRect(b[0], b[1], tx, bh);
            g.fillRect(b[2] - tx + 1, b[1], tx, bh);
        }
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize(w, h)));
        FontMetrics fm = g.getFontMetrics();
        for (Item it : items) {
            int[] b = clip(it, w, h);
            if (b == null || it.text() == null || it.text().isEmpty()) {
                continue;
            }
            int pad = 2;
            int lw = fm.stringWidth(it.text()) + 2 * pad;
            int lh = fm.getAscent() + fm.getDescent() + pad;
            // above the box where there is room, else just inside its top edge (a box touching the image's top)
            int ly = b[1] - lh >= 0 ? b[1] - lh : b[1];
            int lx = Math.max(0, Math.min(b[0], w - lw));
            Color c = colorOf(it.classIndex());
            g.setColor(c);
            g.fillRect(lx, ly, lw, lh);
            g.setColor(luminance(c) > 140 ? Color.BLACK : Color.WHITE);
            g.drawString(it.text(), lx + pad, ly + fm.getAscent());
        }
        g.dispose();
        return out;
    }

    /** Images next to each other, each under its title (e.g. "ground truth" | "predictions"), on a white background. */
    public static BufferedImage sideBySide(List<String> titles, List<BufferedImage> panels) {
        if (titles.size() != panels.size() || panels.isEmpty()) {
            throw new IllegalArgumentException("sideBySide needs one title per panel, got " + titles.size() + " titles for " + panels.size() + " panels");
        }
        int gap = 8;
        int maxH = 0;
        int totalW = gap * (panels.size() - 1);
        for (BufferedImage p : panels) {
            maxH = Math.max(maxH, p.getHeight());
            totalW += p.getWidth();
        }
        int size = Math.max(12, fontSize(totalW, maxH));
        int header = size + 10;
        BufferedImage out = new BufferedImage(totalW, maxH + header, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        int x = 0;
        for (int i = 0; i < panels.size(); i++) {
            BufferedImage p = panels.get(i);
            g.drawImage(p, x, header, null);
            g.setColor(Color.DARK_GRAY);
            // a title wider than a small panel would run into the next one: shrink it to fit
            int fit = size;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, fit));
            while (fit > 8 && g.getFontMetrics().stringWidth(titles.get(i)) > p.getWidth() - 8) {
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, --fit));
            }
            g.drawString(titles.get(i), x + 4, size + 3);
            x += p.getWidth() + gap;
        }
        g.dispose();
        return out;
    }

    /** Writes an image atomically as JPEG (.jpg, .jpeg) or PNG (any other name), by the file's extension. */
    public static void write(Path file, BufferedImage image) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        BufferedImage rgb = rgbCopy(image);
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            AtomicFiles.write(file, out -> {
                ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
                try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
                    ImageWriteParam p = writer.getDefaultWriteParam();
                    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    // 0.9: thin box lines and small label text blur visibly at ImageIO's default 0.75
                    p.setCompressionQuality(0.9f);
                    writer.setOutput(ios);
                    writer.write(null, new IIOImage(rgb, null, null), p);
                } finally {
                    writer.dispose();
                }
            });
        } else {
            AtomicFiles.write(file, out -> ImageIO.write(rgb, "png", out));
        }
    }

    /** The box in whole pixels, inclusive, clipped to the image; null if nothing of it is inside. */
    static int[] clip(Item it, int w, int h) {
        int x1 = (int) Math.max(0, Math.floor(Math.min(it.x1(), it.x2())));
        int y1 = (int) Math.max(0, Math.floor(Math.min(it.y1(), it.y2())));
        int x2 = (int) Math.min(w - 1, Math.ceil(Math.max(it.x1(), it.x2())) - 1);
        int y2 = (int) Math.min(h - 1, Math.ceil(Math.max(it.y1(), it.y2())) - 1);
        if (x1 > x2 || y1 > y2) {
            return null;
        }
        return new int[] {x1, y1, x2, y2};
    }

    /** Mixes the colour into the masked pixels: {@code alpha · colour + (1 − alpha) · pixel} per channel. */
    private static void blendMask(BufferedImage img, boolean[] mask, Color c) {
        int w = img.getWidth();
        int h = img.getHeight();
        if (mask.length != w * h) {
            throw new IllegalArgumentException("a mask of " + mask.length + " pixels does not cover a " + w + "×" + h + " image; "
                    + "masks must be pasted into the image (row-major, width × height) before painting");
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (mask[y * w + x]) {
                    img.setRGB(x, y, blend(img.getRGB(x, y), c.getRGB(), MASK_ALPHA));
                }
            }
        }
    }

    /** {@code alpha · over + (1 − alpha) · under} per RGB channel, rounded. */
    public static int blend(int under, int over, double alpha) {
        int r = mix(under >> 16 & 0xFF, over >> 16 & 0xFF, alpha);
        int gr = mix(under >> 8 & 0xFF, over >> 8 & 0xFF, alpha);
        int b = mix(under & 0xFF, over & 0xFF, alpha);
        return 0xFF000000 | r << 16 | gr << 8 | b;
    }

    private static int mix(int under, int over, double alpha) {
        return (int) Math.round(alpha * over + (1 - alpha) * under);
    }

    private static int fontSize(int w, int h) {
        return Math.max(10, Math.min(w, h) / 40);
    }

    private static double luminance(Color c) {
        return 0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue();
    }

    /** An opaque RGB copy: JPEG cannot hold alpha, and grey or indexed images cannot hold class colours. */
    private static BufferedImage rgbCopy(BufferedImage src) {
        System.setProperty("java.awt.headless", "true");
        BufferedImage out = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.drawImage(src, 0, 0, null);
        g.dispose();
        return out;
    }
}
