package io.ranksort4j.data.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.mask.RleString;
import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.Segmentation;
import io.ranksort4j.data.coco.TinyCoco;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformTest {
    @TempDir
    Path dir;

    @Property(tries = 200)
    void flippingBoxesTwiceIsTheIdentity(@ForAll @FloatRange(min = 0, max = 300) float x1, @ForAll @FloatRange(min = 0, max = 300) float w,
                                        @ForAll @IntRange(min = 301, max = 1000) int width) {
        float[] b = {x1, 5, Math.min(width, x1 + w), 9};
        float[] c = b.clone();
        Flip.boxes(c, width);
        assertThat(c[0]).isLessThanOrEqualTo(c[2]);
        Flip.boxes(c, width);
        assertThat(c).containsExactly(b, within(1e-3f));
    }

    @Test
    void flippingMasksAndImagesTwiceIsTheIdentity() {
        SplittableRandom r = new SplittableRandom(1);
        byte[] m = new byte[7 * 5];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) r.nextInt(2);
        }
        byte[] c = m.clone();
        Flip.mask(c, 7, 5);
        assertThat(c).isNotEqualTo(m);
        Flip.mask(c, 7, 5);
        assertThat(c).isEqualTo(m);
        float[] img = new float[3 * 4 * 5];
        for (int i = 0; i < img.length; i++) {
            img[i] = i;
        }
        float[] d = img.clone();
        Flip.image(d, 3, 5, 4);
        assertThat(d[0]).isEqualTo(4);
        Flip.image(d, 3, 5, 4);
        assertThat(d).isEqualTo(img);
    }

    @Test
    void flippedMaskMatchesTheFlippedBox() {
        Segmentation.Polygons poly = new Segmentation.Polygons(List.of(new float[] {10, 10, 30, 10, 30, 20, 10, 20}));
        byte[] m = Masks.toBitmap(poly, 100, 50, 100, 50);
        Flip.mask(m, 100, 50);
        float[] box = {10, 10, 30, 20};
        Flip.boxes(box, 100);
        assertThat(box).containsExactly(70, 10, 90, 20);
        for (int y = 0; y < 50; y++) {
            for (int x = 0; x < 100; x++) {
                boolean inside = x >= 70 && x < 90 && y >= 10 && y < 20;
                assertThat(m[y * 100 + x] != 0).as("(%d,%d)", x, y).isEqualTo(inside);
            }
        }
    }

    @Test
    void keepRatioResizeFitsBothEdgesLikeMmcv() {
        assertThat(Resize.keepRatioSize(640, 480, 1333, 800)).containsExactly(1067, 800);
        assertThat(Resize.keepRatioSize(500, 333, 1333, 800)).containsExactly(1201, 800);
        assertThat(Resize.keepRatioSize(1000, 200, 1333, 800)).containsExactly(1333, 267);
        assertThat(Resize.keepRatioSize(640, 480, 320, 320)).containsExactly(320, 240);
    }

    @Test
    void resizeScalesBoxAreasAndMaskAreasByTheSquareOfTheFactor() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn()).withImageRoot(TinyCoco.trainImages()).filterEmptyGt();
        Pipeline p = new Pipeline(TransformParams.test(1333, 800).withMasks(true));
        int idx = 0;
        DecodedImage img = ImageDecoder.decode(d.imagePath(d.image(idx)));
        Sample s = p.transform(d, idx, img, new int[] {1333, 800}, false);
        List<Annotation> anns = d.annotations(d.image(idx).id()).stream().filter(a -> !a.iscrowd()).toList();
        double f = s.meta().scaleX();
        assertThat(s.meta().scaleY()).isCloseTo(f, within(0.01));
        assertThat(s.target().size()).isEqualTo(anns.size());
        for (int i = 0; i < anns.size(); i++) {
            Annotation a = anns.get(i);
            float[] b = s.target().boxes();
            double area = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
            assertThat(area).isCloseTo(a.w() * a.h() * s.meta().scaleX() * s.meta().scaleY(), within(1e-3 * area + 1e-3));
            double maskArea = Masks.area(s.target().masks().get(i));
            assertThat(maskArea).isCloseTo(a.area() * f * f, within(0.05 * a.area() * f * f + 4 * (a.w() + a.h()) * f));
        }
    }

    @Test
    void normalizeWithoutResizeEqualsTheIdentityResize() {
        SplittableRandom r = new SplittableRandom(2);
        byte[] px = new byte[5 * 3 * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) r.nextInt(256);
        }
        DecodedImage img = new DecodedImage(5, 3, px);
        float[] mean = {123.675f, 116.28f, 103.53f};
        float[] std = {58.395f, 57.12f, 57.375f};
        for (boolean flip : new boolean[] {false, true}) {
            assertThat(Resize.normalize(img, flip, mean, std)).containsExactly(Resize.resizeNormalize(img, 5, 3, flip, mean, std), within(1e-5f));
        }
    }

    @Test
    void metaMapsResizedFlippedBoxesBackToTheAnnotation() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn()).withImageRoot(TinyCoco.trainImages());
        Pipeline p = new Pipeline(TransformParams.test(1333, 800));
        DecodedImage img = ImageDecoder.decode(d.imagePath(d.image(0)));
        Sample s = p.transform(d, 0, img, new int[] {1333, 800}, true);
        List<Annotation> anns = d.annotations(d.image(0).id()).stream().filter(a -> !a.iscrowd()).toList();
        float[] b = s.target().boxes();
        for (int i = 0; i < anns.size(); i++) {
            double[] o = s.meta().toOriginal(b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]);
            assertThat(o).containsExactly(new double[] {anns.get(i).x(), anns.get(i).y(), anns.get(i).x2(), anns.get(i).y2()}, within(1e-2));
        }
    }

    @Test
    void multiScaleRangeSamplesEdgesBetweenTheTwoScalesAndBindsFromHocon() {
        TransformParams tp = io.ranksort4j.core.config.ParamsBinder.bindOrThrow(TransformParams.class,
                com.typesafe.config.ConfigFactory.parseString("scales = [[1333, 640], [1333, 800]], multi_scale = range"), "transform");
        assertThat(tp.multiScale()).isEqualTo(TransformParams.MultiScale.RANGE);
        assertThat(tp.mean()).containsExactly(123.675, 116.28, 103.53);
        Pipeline p = new Pipeline(tp);
        SplittableRandom r = new SplittableRandom(4);
        java.util.Set<Integer> shorts = new java.util.HashSet<>();
        for (int i = 0; i < 500; i++) {
            int[] sc = p.chooseScale(r);
            assertThat(sc[0]).isEqualTo(1333);
            assertThat(sc[1]).isBetween(640, 800);
            shorts.add(sc[1]);
        }
        assertThat(shorts.size()).isGreaterThan(100);
    }

    @Test
    void normalisationUsesImageNetRgbStatistics() {
        DecodedImage img = new DecodedImage(2, 1, new byte[] {(byte) 200, 100, 50, (byte) 200, 100, 50});
        float[] out = Resize.resizeNormalize(img, 2, 1, false, new float[] {123.675f, 116.28f, 103.53f}, new float[] {58.395f, 57.12f, 57.375f});
        assertThat(out[0]).isCloseTo((200 - 123.675f) / 58.395f, within(1e-5f));
        assertThat(out[2]).isCloseTo((100 - 116.28f) / 57.12f, within(1e-5f));
        assertThat(out[4]).isCloseTo((50 - 103.53f) / 57.375f, within(1e-5f));
    }

    @Test
    void imageFlipInThePipelineMirrorsThePixels() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn()).withImageRoot(TinyCoco.trainImages());
        Pipeline p = new Pipeline(TransformParams.test(320, 320));
        DecodedImage img = ImageDecoder.decode(d.imagePath(d.image(0)));
        Sample a = p.transform(d, 0, img, new int[] {320, 320}, false);
        Sample b = p.transform(d, 0, img, new int[] {320, 320}, true);
        float[] flipped = b.chw().clone();
        Flip.image(flipped, 3, b.meta().width(), b.meta().height());
        assertThat(flipped).containsExactly(a.chw(), within(1e-4f));
        float[] boxes = b.target().boxes().clone();
        Flip.boxes(boxes, b.meta().width());
        assertThat(boxes).containsExactly(a.target().boxes(), within(1e-3f));
    }

    @Test
    void crowdRleMaskResizesWithTheImage() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn());
        Annotation crowd = d.images().stream().flatMap(im -> d.annotations(im.id()).stream()).filter(Annotation::iscrowd).findFirst().orElseThrow();
        Segmentation.Rle rle = (Segmentation.Rle) crowd.segmentation();
        byte[] full = Masks.decode(rle);
        assertThat(Masks.area(full)).isEqualTo(rle.area());
        byte[] half = Masks.toBitmap(rle, rle.width(), rle.height(), rle.width() / 2, rle.height() / 2);
        assertThat((double) Masks.area(half)).isCloseTo(rle.area() / 4.0, within(0.1 * rle.area() / 4.0));
    }

    @Test
    void openCvAndImageIoDecodeTheSamePixels() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ImageDecoder.backend().equals("opencv"), "OpenCV natives unavailable here");
        Path jpg = TinyCoco.trainImages().resolve(CocoReader.read(TinyCoco.trainAnn()).image(0).fileName());
        DecodedImage a = ImageDecoder.decode(jpg);
        DecodedImage b = ImageDecoder.decodeImageIo(jpg);
        assertThat(a.width()).isEqualTo(b.width());
        assertThat(a.height()).isEqualTo(b.height());
        long sum = 0;
        for (int i = 0; i < a.rgb().length; i++) {
            sum += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff));
        }
        // libjpeg-turbo and the JDK's libjpeg differ only in IDCT / upsampling rounding.
        assertThat((double) sum / a.rgb().length).isLessThan(2.0);
        java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(7, 5, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 7; x++) {
                png.setRGB(x, y, (x * 30) << 16 | (y * 50) << 8 | (x + y) * 10);
            }
        }
        Path f = dir.resolve("p.png");
        javax.imageio.ImageIO.write(png, "png", f.toFile());
        assertThat(ImageDecoder.decode(f).rgb()).isEqualTo(ImageDecoder.decodeImageIo(f).rgb());
        assertThat(ImageDecoder.decode(f).rgb()[3 * 8]).isEqualTo((byte) 30);
    }

    @Test
    void theOpenCvResizePathMatchesTheJavaPath() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ImageDecoder.backend().equals("opencv"), "OpenCV natives unavailable here");
        Dataset d = CocoReader.read(TinyCoco.trainAnn()).withImageRoot(TinyCoco.trainImages());
        Pipeline p = new Pipeline(TransformParams.test(1333, 800));
        for (int idx = 0; idx < 2; idx++) {
            Sample fast = p.apply(d, idx, new SplittableRandom(1));
            Sample java = p.transform(d, idx, ImageDecoder.decodeImageIo(d.imagePath(d.image(idx))), new int[] {1333, 800}, false);
            assertThat(fast.meta()).isEqualTo(java.meta());
            assertThat(fast.target().boxes()).isEqualTo(java.target().boxes());
            double sum = 0;
            for (int i = 0; i < fast.chw().length; i++) {
                sum += Math.abs(fast.chw()[i] - java.chw()[i]);
            }
            // One 8-bit level is about 1/58 after normalisation; decoders and 8-bit resizing differ by ~1-2 levels.
            assertThat(sum / fast.chw().length).isLessThan(3.0 / 58);
        }
    }

    @Test
    void corruptAndMissingImagesGiveClearErrors() throws Exception {
        Path bad = dir.resolve("bad.jpg");
        Files.write(bad, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1, 2, 3});
        assertThatThrownBy(() -> ImageDecoder.decode(bad)).isInstanceOf(ImageLoadException.class).hasMessageContaining("bad.jpg");
        Path text = dir.resolve("text.png");
        Files.writeString(text, "hello");
        assertThatThrownBy(() -> ImageDecoder.decode(text)).isInstanceOf(ImageLoadException.class).hasMessageContaining("not a JPEG or PNG");
        assertThatThrownBy(() -> ImageDecoder.decode(dir.resolve("nope.jpg"))).hasMessageContaining("file not found");
    }

    @Property(tries = 100)
    void rleRunsDecodeBackToTheSameBitmap(@ForAll @IntRange(min = 1, max = 17) int w, @ForAll @IntRange(min = 1, max = 13) int h,
                                         @ForAll long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] m = new byte[w * h];
        for (int i = 0; i < m.length; i++) {
            m[i] = (byte) (r.nextInt(3) == 0 ? 1 : 0);
        }
        int[] counts = io.ranksort4j.data.synth.SynthTestAccess.columnMajorRuns(m, h, w);
        assertThat(Masks.decode(new Segmentation.Rle(h, w, counts))).isEqualTo(m);
        assertThat(RleString.decode(RleString.encode(counts))).isEqualTo(counts);
    }
}
