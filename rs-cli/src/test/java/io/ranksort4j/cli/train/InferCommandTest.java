package io.ranksort4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.io.Json;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The researcher's daily loop after training: run the model on new images and look at what it finds. */
class InferCommandTest {
    @TempDir
    static Path dir;
    static Path cfg;
    static Path checkpoint;

    @BeforeAll
    static void trainATinyModel() throws Exception {
        cfg = TinyConfig.write(dir, 24);
        Path work = dir.resolve("run");
        assertThat(Rs4j.execute("train", cfg.toString(), "--work-dir", work.toString())).isZero();
        checkpoint = work.resolve(Files.readString(work.resolve("last_checkpoint")).trim());
    }

    /** A training image stretched to another size and aspect, so the objects stay recognisable. */
    private static void resized(Path src, Path dst, int w, int h, String format) throws Exception {
        BufferedImage in = ImageIO.read(src.toFile());
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(in, 0, 0, w, h, null);
        g.dispose();
        assertThat(ImageIO.write(out, format, dst.toFile())).isTrue();
    }

    private static Path firstTrainImage() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("synth").resolve("train"))) {
            return s.sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void infersOnAFolderOfLandscapeAndPortraitImagesSkippingAnUnreadableFile() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Path src = firstTrainImage();
        resized(src, images.resolve("a_landscape.jpg"), 256, 128, "jpeg");
        resized(src, images.resolve("b_portrait.png"), 96, 192, "png");
        Path bad = images.resolve("c_broken.jpg");
        Files.writeString(bad, "this is not a JPEG");
        Files.writeString(images.resolve("notes.txt"), "not an image, not even tried");
        Path out = dir.resolve("infer");

        CliRunner.Result r = CliRunner.run("infer", cfg.toString(), "--checkpoint", checkpoint.toString(), "--images", images.toString(),
                "--out", out.toString(), "--score-thr", "0.05");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("skipped " + bad + ": ").contains("2 images").contains("skipped 1 unreadable file");
        assertThat(r.out().lines().filter(l -> l.contains("c_broken.jpg") && l.startsWith("skipped"))).hasSize(1);
        assertThat(r.out()).contains("infer [").contains("2/2 images");

        JsonNode index = Json.MAPPER.readTree(out.resolve("images.json").toFile());
        Map<Long, int[]> sizes = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        for (JsonNode im : index.get("images")) {
            sizes.put(im.get("id").asLong(), new int[] {im.get("width").asInt(), im.get("height").asInt()});
            names.put(im.get("id").asLong(), im.get("file_name").asText());
        }
        assertThat(names).containsEntry(1L, "a_landscape.jpg").containsEntry(2L, "b_portrait.png").hasSize(2);
        assertThat(sizes.get(1L)).containsExactly(256, 128);
        assertThat(sizes.get(2L)).containsExactly(96, 192);
        assertThat(index.get("skipped").get(0).get("file").asText()).isEqualTo(bad.toString());
        Set<Long> categoryIds = new HashSet<>();
        index.get("categories").forEach(c -> categoryIds.add(c.get("id").asLong()));
        assertThat(categoryIds).hasSize(2);

        JsonNode results = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertThat(results.size()).as("detections").isPositive();
        Set<Long> imagesWithDetections = new HashSet<>();
        for (JsonNode d : results) {
            long id = d.get("image_id").asLong();
            imagesWithDetections.add(id);
            assertThat(sizes).containsKey(id);
            assertThat(categoryIds).contains(d.get("category_id").asLong());
            int[] wh = sizes.get(id);
            double x = d.get("bbox").get(0).asDouble();
            double y = d.get("bbox").get(1).asDouble();
            double w = d.get("bbox").get(2).asDouble();
            double h = d.get("bbox").get(3).asDouble();
            assertThat(x).isGreaterThanOrEqualTo(0);
            assertThat(y).isGreaterThanOrEqualTo(0);
            // a box past the image's edge can clip to zero width; mmdetection keeps those too (min_bbox_size 0)
            assertThat(w).isGreaterThanOrEqualTo(0);
            assertThat(h).isGreaterThanOrEqualTo(0);
            assertThat(x + w).as("right edge in image %d", id).isLessThanOrEqualTo(wh[0] + 1e-3);
            assertThat(y + h).as("bottom edge in image %d", id).isLessThanOrEqualTo(wh[1] + 1e-3);
            assertThat(d.get("score").asDouble()).isBetween(0.0, 1.0);
        }
        assertThat(imagesWithDetections).containsExactlyInAnyOrder(1L, 2L);

        BufferedImage landscape = ImageIO.read(out.resolve("a_landscape.jpg").toFile());
        BufferedImage portrait = ImageIO.read(out.resolve("b_portrait.png").toFile());
        assertThat(new int[] {landscape.getWidth(), landscape.getHeight()}).containsExactly(256, 128);
        assertThat(new int[] {portrait.getWidth(), portrait.getHeight()}).containsExactly(96, 192);
        assertThat(out.resolve("c_broken.jpg")).doesNotExist();
        assertThat(out.resolve("notes.txt")).doesNotExist();
    }

    @Test
    void inferRefusesToDrawIntoTheImagesOwnFolder() throws Exception {
        Path images = Files.createDirectories(dir.resolve("same"));
        resized(firstTrainImage(), images.resolve("x.png"), 64, 64, "png");
        CliRunner.Result r = CliRunner.run("infer", cfg.toString(), "--checkpoint", checkpoint.toString(), "--images", images.toString(),
                "--out", images.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--out " + images).contains("would replace them").contains("choose another --out");
    }

    @Test
    void testWithShowDirDrawsGroundTruthBesidePredictionsForEveryValImage() throws Exception {
        Path show = dir.resolve("show");
        Path test = dir.resolve("test");
        CliRunner.Result r = CliRunner.run("test", cfg.toString(), "--checkpoint", checkpoint.toString(), "--work-dir", test.toString(),
                "--show-dir", show.toString(), "--show-score-thr", "0.1");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode metrics = Json.MAPPER.readTree(test.resolve("final_metrics.json").toFile());
        JsonNode gt = Json.MAPPER.readTree(Path.of(metrics.get("ann_file").asText()).toFile());
        int valImages = gt.get("images").size();
        try (Stream<Path> s = Files.list(show)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactlyElementsOf(Stream.of(gt.get("images").spliterator())
                            .flatMap(sp -> java.util.stream.StreamSupport.stream(sp, false))
                            .map(im -> Path.of(im.get("file_name").asText()).getFileName().toString()).sorted().toList());
        }
        assertThat(r.out()).contains("drew " + valImages + " val images");
        JsonNode first = gt.get("images").get(0);
        BufferedImage drawn = ImageIO.read(show.resolve(Path.of(first.get("file_name").asText()).getFileName().toString()).toFile());
        assertThat(drawn.getWidth()).as("two panels side by side").isGreaterThanOrEqualTo(2 * first.get("width").asInt());
    }
}
