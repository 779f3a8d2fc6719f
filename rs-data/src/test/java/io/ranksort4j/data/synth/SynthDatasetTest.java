package io.ranksort4j.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.Frequency;
import io.ranksort4j.data.coco.Segmentation;
import io.ranksort4j.data.lvis.LvisReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthDatasetTest {
    @TempDir
    Path dir;

    private static final SynthParams SMALL = SynthParams.defaults().withImages(40, 10);

    @Test
    void writesACocoDatasetTheStrictReaderAccepts() throws Exception {
        SynthDataset.Layout l = SynthDataset.ensure(dir.resolve("s"), SMALL);
        Dataset train = CocoReader.read(l.trainAnnotations()).withImageRoot(l.trainImages());
        Dataset val = CocoReader.read(l.valAnnotations());
        assertThat(train.size()).isEqualTo(40);
        assertThat(val.size()).isEqualTo(10);
        assertThat(train.numClasses()).isEqualTo(5);
        assertThat(train.categories().get(0).name()).isEqualTo("red_ellipse");
        List<Annotation> anns = train.images().stream().flatMap(im -> train.annotations(im.id()).stream()).toList();
        assertThat(anns.size()).isBetween(40, 40 * 7);
        for (Annotation a : anns) {
            assertThat(a.w()).isGreaterThanOrEqualTo(6);
            assertThat(a.area()).isPositive().isLessThanOrEqualTo(a.w() * a.h() + 1);
            assertThat(a.segmentation()).isInstanceOf(a.iscrowd() ? Segmentation.Rle.class : Segmentation.Polygons.class);
        }
        assertThat(Files.isRegularFile(train.imagePath(train.image(0)))).isTrue();
        assertThat(ImageIO.read(train.imagePath(train.image(0)).toFile()).getWidth()).isEqualTo(320);
        assertThat(val.image(0).id()).isEqualTo(41);
    }

    @Test
    void crowdRegionsStayInsideTheImageAndTheirBoxesBoundTheirMasks() {
        SynthParams d = SynthParams.defaults();
        SynthParams allCrowd = new SynthParams(40, 1, 5, 160, 5, false, 1, 6, d.minScale(), d.maxScale(), 1.0, "png");
        SynthDataset.Layout l = SynthDataset.generate(dir.resolve("crowd"), allCrowd);
        Dataset ds = CocoReader.read(l.trainAnnotations());
        List<Annotation> crowd = ds.images().stream().flatMap(im -> ds.annotations(im.id()).stream()).filter(Annotation::iscrowd).toList();
        assertThat(crowd).hasSize(40);
        for (Annotation a : crowd) {
            Segmentation.Rle rle = (Segmentation.Rle) a.segmentation();
            assertThat(rle.area()).isEqualTo((long) a.area());
            assertThat(a.x2()).isLessThanOrEqualTo(160);
            assertThat(a.y2()).isLessThanOrEqualTo(160);
        }
    }

    @Test
    void everyAnnotatedObjectShowsItsCategorysHueInsideItsMask() {
        SynthDataset.Layout l = SynthDataset.generate(dir.resolve("hue"), SMALL.withImages(30, 1));
        Dataset d = CocoReader.read(l.trainAnnotations()).withImageRoot(l.trainImages());
        int checked = 0;
        int ok = 0;
        for (var im : d.images()) {
            var img = io.ranksort4j.data.transform.ImageDecoder.decode(d.imagePath(im));
            for (Annotation a : d.annotations(im.id())) {
                if (a.iscrowd()) {
                    continue;
                }
                byte[] m = io.ranksort4j.data.transform.Masks.toBitmap(a.segmentation(), im.width(), im.height(), im.width(), im.height());
                double sx = 0;
                double sy = 0;
                int n = 0;
                for (int p = 0; p < m.length; p++) {
                    if (m[p] != 0) {
                        float[] hsb = java.awt.Color.RGBtoHSB(img.rgb()[3 * p] & 0xff, img.rgb()[3 * p + 1] & 0xff, img.rgb()[3 * p + 2] & 0xff, null);
                        // Hue is circular: average it as a unit vector.
                        sx += Math.cos(2 * Math.PI * hsb[0]);
                        sy += Math.sin(2 * Math.PI * hsb[0]);
                        n++;
                    }
                }
                double hue = (Math.atan2(sy, sx) / (2 * Math.PI) + 1) % 1;
                double want = Shapes.HUES[Shapes.hue(d.labelOf(a.categoryId()))];
                double diff = Math.min(Math.abs(hue - want), 1 - Math.abs(hue - want));
                checked++;
                ok += n > 0 && diff < 0.05 ? 1 : 0;
            }
        }
        assertThat(checked).isGreaterThan(50);
        assertThat((double) ok / checked).isGreaterThan(0.97);
    }

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws Exception {
        SynthParams p = SMALL.withImages(12, 3);
        SynthDataset.generate(dir.resolve("a"), p);
        SynthDataset.generate(dir.resolve("b"), p);
        SynthDataset.generate(dir.resolve("c"), p.withSeed(7));
        assertThat(digest(dir.resolve("a"))).isEqualTo(digest(dir.resolve("b"))).isNotEqualTo(digest(dir.resolve("c")));
    }

    @Test
    void ensureReusesACompleteDatasetAndRefusesOneWithOtherParameters() throws Exception {
        SynthParams p = SMALL.withImages(4, 1);
        Path d = dir.resolve("e");
        SynthDataset.ensure(d, p);
        long t = Files.getLastModifiedTime(d.resolve(SynthDataset.MARKER)).toMillis();
        SynthDataset.ensure(d, p);
        assertThat(Files.getLastModifiedTime(d.resolve(SynthDataset.MARKER)).toMillis()).isEqualTo(t);
        assertThatThrownBy(() -> SynthDataset.ensure(d, p.withSeed(99))).hasMessageContaining("other parameters");
    }

    @Test
    void concurrentEnsureCallsYieldOneCompleteDataset() throws Exception {
        SynthParams p = SMALL.withImages(6, 1);
        Path d = dir.resolve("race");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            var fs = new java.util.ArrayList<java.util.concurrent.Future<SynthDataset.Layout>>();
            for (int i = 0; i < 3; i++) {
                fs.add(pool.submit(() -> SynthDataset.ensure(d, p)));
            }
            for (var f : fs) {
                assertThat(f.get().root()).isEqualTo(d);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(CocoReader.read(d.resolve("annotations/instances_train.json")).size()).isEqualTo(6);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(x -> x.getFileName().toString()).filter(n -> n.startsWith(".race"))).isEmpty();
        }
    }

    @Test
    void longTailWritesLvisFieldsWithRareCategories() {
        SynthParams p = SMALL.withImages(150, 5).withCategories(12).withLongTail(true);
        SynthDataset.Layout l = SynthDataset.generate(dir.resolve("lt"), p);
        Dataset d = LvisReader.read(l.trainAnnotations());
        assertThat(d.categories()).extracting(c -> c.frequency()).contains(Frequency.RARE, Frequency.COMMON, Frequency.FREQUENT);
        int[] counts = d.imageCountsByLabel();
        for (int k = 0; k < counts.length; k++) {
            assertThat(d.categories().get(k).imageCount()).isEqualTo(counts[k]);
        }
        assertThat(d.images()).anyMatch(im -> !im.negCategoryIds().isEmpty());
    }

    @Test
    void generatesHundredsOfImagesInSeconds() {
        long t0 = System.nanoTime();
        SynthDataset.generate(dir.resolve("speed"), SMALL.withImages(200, 20));
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("synth: 220 images in %.2f s%n", s);
        assertThat(s).isLessThan(30);
    }

    private static String digest(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).sorted().toList()) {
                md.update(root.relativize(f).toString().getBytes());
                md.update(Files.readAllBytes(f));
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
