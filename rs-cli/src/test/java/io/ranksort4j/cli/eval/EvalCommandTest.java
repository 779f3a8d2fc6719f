package io.ranksort4j.cli.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rs4j eval} on the real tiny_coco annotations prints and writes pycocotools' numbers. */
class EvalCommandTest {
    static final Path GOLDEN = Path.of("..", "rs-eval", "src", "test", "resources", "golden", "coco", "tiny_coco_val2017");
    static final Path SHARED_ANN = Path.of("..", "..", "shared", "data", "tiny_coco", "annotations", "instances_val2017.json");

    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Rs4j.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path annotations() {
        // the real tiny_coco file lives in shared/ beside the clone; the golden copy has the same content
        return Files.exists(SHARED_ANN) ? SHARED_ANN : GOLDEN.resolve("gt.json.gz");
    }

    private static JsonNode expected(String dtFile, String iouType) throws Exception {
        for (JsonNode e : Json.MAPPER.readTree(GOLDEN.resolve("expected.json").toFile())) {
            if (e.get("dt_file").asText().equals(dtFile) && e.get("iou_type").asText().equals(iouType)) {
                return e;
            }
        }
        throw new AssertionError("no golden entry " + dtFile + " " + iouType);
    }

    @Test
    void evalOnTinyCocoWritesPycocotoolsStatsUnderTheIssuesKeys() throws Exception {
        for (String[] v : List.of(new String[] {"dt_bbox.json.gz", "bbox"}, new String[] {"dt_segm.json.gz", "segm"})) {
            Path json = dir.resolve(v[1] + ".json");
            Run r = run("eval", "--ann", annotations().toString(), "--results", GOLDEN.resolve(v[0]).toString(), "--iou-type", v[1],
                    "--lrp", "--per-category", "--json", json.toString(), "--plots", dir.resolve("plots").toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).contains("Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ]");
            JsonNode got = Json.MAPPER.readTree(json.toFile());
            List<String> keys = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl");
            JsonNode exp = expected(v[0], v[1]).get("stats");
            for (int i = 0; i < keys.size(); i++) {
                assertThat(got.get(keys.get(i)).asDouble()).as(keys.get(i)).isCloseTo(exp.get(i).asDouble(), within(1e-9));
            }
            assertThat(got.has("oLRP") && got.has("oLRP_loc") && got.has("oLRP_FP") && got.has("oLRP_FN")).isTrue();
            assertThat(got.get("per_category").size()).isEqualTo(80);
            assertThat(dir.resolve("plots").resolve("pr_curve.png")).exists();
        }
    }

    @Test
    void dropBboxForSegmGivesTheNumbersOfMaskOnlyResults() throws Exception {
        Path json = dir.resolve("drop.json");
        Run r = run("eval", "--ann", annotations().toString(), "--results", GOLDEN.resolve("dt_segm.json.gz").toString(), "--iou-type", "segm",
                "--drop-bbox-for-segm", "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode got = Json.MAPPER.readTree(json.toFile());
        JsonNode exp = expected("dt_segm_nobox.json.gz", "segm").get("stats");
        assertThat(got.get("APs").asDouble()).isCloseTo(exp.get(3).asDouble(), within(1e-9));
        assertThat(got.get("APl").asDouble()).isCloseTo(exp.get(5).asDouble(), within(1e-9));
        assertThat(got.get("AP").asDouble()).isCloseTo(exp.get(0).asDouble(), within(1e-9));
        JsonNode provenance = Json.MAPPER.readTree(dir.resolve("run.json").toFile());
        assertThat(provenance.get("command").asText()).isEqualTo("eval");
        assertThat(provenance.at("/datasets/0/annotationPath").asText()).isEqualTo(annotations().toAbsolutePath().toString());
    }

    @Test
    void lvisModeWritesTheLvisKeys() throws Exception {
        Path json = dir.resolve("lvis.json");
        Run r = run("eval", "--ann", annotations().toString(), "--results", GOLDEN.resolve("dt_bbox.json.gz").toString(), "--lvis",
                "--lrp", "--per-category", "--plots", dir.resolve("lvis-plots").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(dir.resolve("lvis-plots").resolve("pr_curve.png")).exists();
        assertThat(Json.MAPPER.readTree(json.toFile()).get("per_category").size()).isEqualTo(80);
        Iterator<String> names = Json.MAPPER.readTree(json.toFile()).fieldNames();
        assertThat(names).toIterable().contains("AP", "AP50", "AP75", "APs", "APm", "APl", "APr", "APc", "APf", "AR", "ARs", "ARm", "ARl",
                "oLRP", "oLRP_loc", "oLRP_FP", "oLRP_FN");
    }

    @Test
    void anEmptyResultsFileScoresZeroAndABadOneNamesTheEntry() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.json"), "[]");
        Path json = dir.resolve("e.json");
        Run r = run("eval", "--ann", annotations().toString(), "--results", empty.toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Json.MAPPER.readTree(json.toFile()).get("AP").asDouble()).isEqualTo(0.0);
        Path bad = Files.writeString(dir.resolve("bad.json"), "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0,0,1,1], \"score\": 0.5}]");
        Run b = run("eval", "--ann", annotations().toString(), "--results", bad.toString());
        assertThat(b.code()).isEqualTo(2);
        assertThat(b.err()).contains("result [0]").contains("image_id 1 is not an image of the annotation file");
    }
}
