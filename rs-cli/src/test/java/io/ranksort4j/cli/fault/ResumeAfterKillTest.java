package io.ranksort4j.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * kill -9 at a random iteration, then {@code --resume}: every logged loss term and gradient norm, the final weights'
 * metrics and the self-balance weight equal those of a run never interrupted, for each kind of detector. The kill
 * falls anywhere, including in the middle of writing a checkpoint (iteration k's checkpoint is written right after
 * its log line, which is what the test waits for).
 */
@Tag("fault")
class ResumeAfterKillTest {
    private static final int ITERS = 7;
    /** Log fields that measure the machine, not the run. */
    private static final Set<String> TIMINGS = Set.of("time", "data_time", "memory_mb", "eta_s", "time_loss");

    @TempDir
    Path dir;

    static Stream<Arguments> detectors() {
        List<String> twoStage = List.of("model.backbone.base_width=8", "model.fpn_channels=16", "model.rpn.feat_channels=16", "model.roi.fc_channels=32");
        return Stream.of(
                Arguments.of("rs_atss", List.of()),
                // stateful: the self-balance weight changes at each epoch's end (4 iterations) and must come back
                Arguments.of("alrp_loss", List.of("model.type=alrp_loss", "model.loss_cls={type=alrp}", "model.assigner={type=atss}",
                        "model.loss_bbox={type=giou}")),
                Arguments.of("rs_mask_rcnn", twoStage(twoStage, "rs_mask_rcnn_quickstart.conf", "model.mask.channels=16", "model.mask.convs=1")),
                Arguments.of("rs_cascade_rcnn", twoStage(twoStage, "rs_cascade_rcnn_synthetic.conf")));
    }

    private static List<String> twoStage(List<String> common, String base, String... more) {
        List<String> out = new ArrayList<>(List.of("base=" + base));
        out.addAll(common);
        out.addAll(List.of(more));
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("detectors")
    void aRunKilledAtARandomIterationResumesToTheSameNumbers(String name, List<String> settings) throws Exception {
        Path cfg = config(settings);
        List<String> sets = new ArrayList<>();
        for (String s : settings) {
            if (!s.startsWith("base=")) {
                sets.add("--set");
                sets.add(s);
            }
        }
        Path straight = dir.resolve("straight");
        assertThat(train(cfg, straight, sets).exitCode()).isZero();

        long seed = System.nanoTime();
        int killAfter = 3 + new Random(seed).nextInt(ITERS - 3);
        Path resumed = dir.resolve("killed");
        List<String> args = new ArrayList<>(List.of("train", cfg.toString(), "--work-dir", resumed.toString()));
        args.addAll(sets);
        try (Rs4jProcess p = Rs4jProcess.start(dir.resolve("killed.log"), args.toArray(String[]::new))) {
            p.awaitOrFail(() -> Rs4jProcess.trainRecords(resumed.resolve("metrics.jsonl")) >= killAfter, killAfter + " logged iterations");
            p.kill9();
        }
        List<String> resume = new ArrayList<>(List.of("--resume"));
        resume.addAll(sets);
        CliRunner.Result r = train(cfg, resumed, resume);
        assertThat(r.exitCode()).as("killed after %d iterations (seed %d):%n%s", killAfter, seed, r.err()).isZero();

        assertThat(records(resumed)).as("killed after iteration %d (seed %d)", killAfter, seed).isEqualTo(records(straight));
        JsonNode a = Json.MAPPER.readTree(straight.resolve("final_metrics.json").toFile());
        JsonNode b = Json.MAPPER.readTree(resumed.resolve("final_metrics.json").toFile());
        assertThat(b.get("bbox")).isEqualTo(a.get("bbox"));
        assertThat(b.get("segm")).isEqualTo(a.get("segm"));
    }

    private CliRunner.Result train(Path cfg, Path work, List<String> more) {
        List<String> args = new ArrayList<>(List.of("train", cfg.toString(), "--work-dir", work.toString()));
        args.addAll(more);
        return CliRunner.run(args.toArray(String[]::new));
    }

    /** The tiny quickstart, or a two-stage config shrunk to the same data and size; every iteration logged. */
    private Path config(List<String> settings) throws Exception {
        Path cfg = TinyConfig.write(dir, ITERS);
        String base = settings.stream().filter(s -> s.startsWith("base=")).map(s -> s.substring(5)).findFirst().orElse(null);
        String text = Files.readString(cfg);
        if (base != null) {
            // the two-stage quickstart in place of the dense one, with the tiny config's data and sizes
            text = text.replace("quickstart.conf", base).replaceFirst("model \\{[^\\n]*\\n", "model { num_classes = 2, input_size = [128, 128] }\n");
        }
        Files.writeString(cfg, text + "runtime { log_interval = 1, checkpoint_interval = 2 }\n");
        return cfg;
    }

    /** Each train record's numbers but the timings, in order. */
    private static List<Map<String, Double>> records(Path work) throws Exception {
        List<Map<String, Double>> out = new ArrayList<>();
        for (String line : Files.readAllLines(work.resolve("metrics.jsonl"))) {
            JsonNode rec = Json.MAPPER.readTree(line);
            if (!"train".equals(rec.path("mode").asText())) {
                continue;
            }
            Map<String, Double> m = new TreeMap<>();
            rec.fields().forEachRemaining(e -> {
                if (e.getValue().isNumber() && !TIMINGS.contains(e.getKey())) {
                    m.put(e.getKey(), e.getValue().asDouble());
                }
            });
            out.add(m);
        }
        return out;
    }
}
