package io.ranksort4j.cli.real;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.core.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every shipped COCO and LVIS config, unchanged but for its data paths, trains 2 iterations on real tiny_coco images
 * (a portrait and a landscape one, at the config's own 1333 × 800 scale, backbone and heads) and evaluates on two
 * more; LVIS configs on an LVIS v1 conversion of the same images with the 1203 categories of LVIS. The backbone
 * starts from formula-initialised weights instead of the ImageNet download. Each config runs as {@code rs4j train}
 * in a process of its own. One image per batch keeps the run within CI's budget; the configs' own batch of 2 is
 * what the README's measured runs use. Run by {@code mvn verify -Preal-data}.
 */
@Tag("real-data")
class PaperConfigsOnRealImagesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path TINY = ROOT.resolveSibling("shared").resolve("data").resolve("tiny_coco");

    @TempDir
    static Path data;

    static Stream<String> paperConfigs() throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve("configs"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("_coco.conf") || n.contains("_lvis")).sorted().toList().stream();
        }
    }

    @BeforeAll
    static void writeSubsets() throws IOException {
        Path ann = TINY.resolve("annotations");
        for (String split : List.of("train2017", "val2017")) {
            ObjectNode coco = subset((ObjectNode) Json.MAPPER.readTree(ann.resolve("instances_" + split + ".json").toFile()));
            Json.MAPPER.writeValue(data.resolve("coco_" + split + ".json").toFile(), coco);
            Json.MAPPER.writeValue(data.resolve("lvis_" + split + ".json").toFile(), toLvis(coco));
        }
    }

    /** The first portrait and the first landscape image with at least one non-crowd box. */
    private static ObjectNode subset(ObjectNode coco) {
        Set<Long> annotated = new HashSet<>();
        coco.get("annotations").forEach(a -> {
            if (a.path("iscrowd").asInt(0) == 0) {
                annotated.add(a.get("image_id").asLong());
            }
        });
        ArrayNode images = Json.MAPPER.createArrayNode();
        boolean portrait = false;
        boolean landscape = false;
        for (JsonNode im : coco.get("images")) {
            boolean p = im.get("height").asInt() > im.get("width").asInt();
            if (annotated.contains(im.get("id").asLong()) && (p ? !portrait : !landscape)) {
                images.add(im);
                portrait |= p;
                landscape |= !p;
            }
        }
        Set<Long> keep = new HashSet<>();
        images.forEach(im -> keep.add(im.get("id").asLong()));
        ArrayNode anns = Json.MAPPER.createArrayNode();
        coco.get("annotations").forEach(a -> {
            if (keep.contains(a.get("image_id").asLong())) {
                anns.add(a);
            }
        });
        ObjectNode out = coco.deepCopy();
        out.set("images", images);
        out.set("annotations", anns);
        return out;
    }

    /**
     * LVIS v1's schema: no crowd annotations, per-image negative and not-exhaustive category lists, 1203 categories
     * with a frequency (COCO's 80 first, as 'f', then placeholders as 'r').
     */
    private static ObjectNode toLvis(ObjectNode coco) {
        ObjectNode out = coco.deepCopy();
        ArrayNode anns = Json.MAPPER.createArrayNode();
        coco.get("annotations").forEach(a -> {
            if (a.path("iscrowd").asInt(0) == 0) {
                ObjectNode c = a.deepCopy();
                c.remove("iscrowd");
                anns.add(c);
            }
        });
        out.set("annotations", anns);
        ArrayNode images = Json.MAPPER.createArrayNode();
        coco.get("images").forEach(im -> {
            ObjectNode c = im.deepCopy();
            c.set("neg_category_ids", Json.MAPPER.createArrayNode());
            c.set("not_exhaustive_category_ids", Json.MAPPER.createArrayNode());
            images.add(c);
        });
        out.set("images", images);
        ArrayNode cats = Json.MAPPER.createArrayNode();
        long next = 0;
        for (JsonNode c : coco.get("categories")) {
            ObjectNode k = c.deepCopy();
            k.put("frequency", "f");
            k.put("image_count", 1);
            k.put("instance_count", 1);
            cats.add(k);
            next = Math.max(next, c.get("id").asLong());
        }
        while (cats.size() < 1203) {
            ObjectNode k = Json.MAPPER.createObjectNode();
            k.put("id", ++next);
            k.put("name", "placeholder_" + next);
            k.put("frequency", "r");
            k.put("image_count", 0);
            k.put("instance_count", 0);
            cats.add(k);
        }
        out.set("categories", cats);
        return out;
    }

    @ParameterizedTest
    @MethodSource("paperConfigs")
    void paperConfigTrainsTwoIterationsOnPortraitAndLandscapeImagesAndEvaluates(String name) throws Exception {
        String kind = name.contains("_lvis") ? "lvis" : "coco";
        Path work = data.resolve("work_" + name);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g",
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false", "-cp", System.getProperty("java.class.path"), Rs4j.class.getName(),
                "train", "configs/" + name, "--work-dir", work.toString()));
        for (String split : List.of("train", "val")) {
            set(cmd, "data." + split + ".dataset.ann_file=\"" + data.resolve(kind + "_" + split + "2017.json") + "\"");
            set(cmd, "data." + split + ".dataset.img_prefix=\"" + TINY.resolve(split + "2017") + "\"");
            set(cmd, "data." + split + ".loader.workers=1");
        }
        for (String o : List.of("data.train.loader.batch_size=1", "schedule.max_iters=2", "runtime.log_interval=1", "runtime.checkpoint_interval=2",
                "model.backbone.pretrained=\"\"")) {
            set(cmd, o);
        }
        // a process per config, as a researcher runs it: each network's native memory goes with its process
        Path log = data.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        Process proc = pb.start();
        if (!proc.waitFor(15, java.util.concurrent.TimeUnit.MINUTES)) {
            proc.destroyForcibly();
            throw new AssertionError(name + " did not finish in 15 minutes:\n" + tail(Files.readString(log)));
        }
        int rc = proc.exitValue();
        String printed = Files.readString(log);
        assertThat(rc).as(name + " exited with %d:%n%s", rc, tail(printed)).isZero();
        assertThat(printed).contains("batch: 1 images per iteration", "schedule.auto_scale_lr");
        assertThat(Files.readAllLines(work.resolve("metrics.jsonl"))).filteredOn(l -> l.contains("\"train\"")).hasSize(2);
        JsonNode metrics = Json.MAPPER.readTree(work.resolve("final_metrics.json").toFile());
        assertThat(metrics.at("/bbox/AP").asDouble(Double.NaN)).as(name).isBetween(-1.0, 1.0);
        assertThat(work.resolve("results.bbox.json")).exists();
        assertThat(work.resolve("checkpoints").resolve("iter_000002")).isDirectory();
        if (name.contains("mask")) {
            assertThat(metrics.has("segm")).as(name + " evaluates masks").isTrue();
        }
    }

    private static void set(List<String> cmd, String override) {
        cmd.add("--set");
        cmd.add(override);
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 4000));
    }
}
