package io.ranksort4j.core.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DetectionPainterTest {
    private static final int GREY = 0xFF808080;

    @TempDir
    Path dir;

    private static BufferedImage grey(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, GREY);
            }
        }
        return img;
    }

    @Test
    void theBoxOutlineHasTheClassColourAndAPixelWellInsideAnUnmaskedBoxKeepsTheImageColour() {
        BufferedImage img = grey(200, 150);
        BufferedImage out = DetectionPainter.paint(img, List.of(new DetectionPainter.Item(40, 50, 120, 110, 3, "cat 0.90", null)));
        int c = DetectionPainter.colorOf(3).getRGB();
        assertThat(out.getRGB(40, 80)).as("left edge").isEqualTo(c);
        assertThat(out.getRGB(119, 80)).as("right edge").isEqualTo(c);
        assertThat(out.getRGB(80, 109)).as("bottom edge").isEqualTo(c);
        assertThat(out.getRGB(80, 50)).as("top edge").isEqualTo(c);
        assertThat(out.getRGB(80, 80)).as("inside").isEqualTo(GREY);
        assertThat(out.getRGB(130, 80)).as("outside").isEqualTo(GREY);
        assertThat(img.getRGB(40, 80)).as("the input is not drawn on").isEqualTo(GREY);
    }

    @Test
    void aMaskedPixelIsTheHalfAndHalfBlendOfImageAndClassColour() {
        int w = 100;
        int h = 80;
        boolean[] mask = new boolean[w * h];
        for (int y = 30; y < 50; y++) {
            for (int x = 30; x < 60; x++) {
                mask[y * w + x] = true;
            }
        }
        BufferedImage out = DetectionPainter.paint(grey(w, h), List.of(new DetectionPainter.Item(20, 20, 70, 60, 1, "dog 0.5", mask)));
        Color c = DetectionPainter.colorOf(1);
        Color got = new Color(out.getRGB(40, 40));
        assertThat(got.getRed()).isEqualTo((int) Math.round(0.5 * c.getRed() + 0.5 * 128));
        assertThat(got.getGreen()).isEqualTo((int) Math.round(0.5 * c.getGreen() + 0.5 * 128));
        assertThat(got.getBlue()).isEqualTo((int) Math.round(0.5 * c.getBlue() + 0.5 * 128));
        assertThat(out.getRGB(25, 55)).as("inside the box, outside the mask").isEqualTo(GREY);
    }

    @Test
    void theLabelIsDrawnOnAFilledBackgroundJustAboveTheBox() {
        BufferedImage out = DetectionPainter.paint(grey(200, 150), List.of(new DetectionPainter.Item(40, 60, 120, 110, 0, "person 0.99", null)));
        int c = DetectionPainter.colorOf(0).getRGB();
        // the label's background starts at the box's left edge and ends at its top edge
        int background = 0;
        int text = 0;
        for (int y = 40; y < 60; y++) {
            for (int x = 40; x < 60; x++) {
                if (out.getRGB(x, y) == c) {
                    background++;
                } else if (out.getRGB(x, y) != GREY) {
                    text++;
                }
            }
        }
        assertThat(background).as("label background above the box").isGreaterThan(100);
        assertThat(text).as("label text pixels").isPositive();
        assertThat(out.getRGB(41, 58)).isEqualTo(c);
        assertThat(out.getRGB(150, 58)).as("right of the label").isEqualTo(GREY);
    }

    @Test
    void boxesReachingPastTheImageAreClippedToItsBorderAndALabelAtTheTopGoesInside() {
        BufferedImage out = DetectionPainter.paint(grey(100, 100), List.of(new DetectionPainter.Item(-30, -10, 150, 60, 2, "x", null)));
        int c = DetectionPainter.colorOf(2).getRGB();
        assertThat(out.getRGB(0, 30)).isEqualTo(c);
        assertThat(out.getRGB(99, 30)).isEqualTo(c);
        assertThat(out.getRGB(50, 59)).isEqualTo(c);
        assertThat(out.getRGB(50, 30)).isEqualTo(GREY);
        assertThat(out.getRGB(50, 70)).isEqualTo(GREY);
    }

    @Test
    void classColoursAreTheSameEveryTimeAndDifferBetweenNeighbouringClasses() {
        for (int k = 0; k < 80; k++) {
            assertThat(DetectionPainter.colorOf(k)).isEqualTo(DetectionPainter.colorOf(k));
            assertThat(DetectionPainter.colorOf(k)).isNotEqualTo(DetectionPainter.colorOf(k + 1));
        }
    }

    @Test
    void writesJpegAndPngByExtensionWithTheImageSizeAndPanelsSideBySide() throws Exception {
        BufferedImage a = grey(60, 40);
        BufferedImage both = DetectionPainter.sideBySide(List.of("ground truth", "predictions"), List.of(a, grey(60, 50)));
        assertThat(both.getWidth()).isEqualTo(128);
        assertThat(both.getHeight()).isGreaterThan(50);
        DetectionPainter.write(dir.resolve("a.jpg"), a);
        DetectionPainter.write(dir.resolve("b.png"), both);
        BufferedImage jpg = ImageIO.read(dir.resolve("a.jpg").toFile());
        assertThat(jpg.getWidth()).isEqualTo(60);
        assertThat(jpg.getHeight()).isEqualTo(40);
        assertThat(ImageIO.read(dir.resolve("b.png").toFile()).getWidth()).isEqualTo(128);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("a.jpg", "b.png");
        }
    }
}
