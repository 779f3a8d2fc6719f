package io.ranksort4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The main job in miniature: train RS-ATSS on tiny synthetic data, resume, test; a few minutes at most. */
class TrainCommandTest {
    @TempDir
    Path dir;

    private static double loss(String line) throws Exception {
        return Json.MAPPER.readTree(line).get("loss").asDouble();
    }

    @Test
    void trainsResumesAndTestsWithFinalMetrics() throws Exception {
        Path cfg = TinyConfig.write(dir, 48);
        Path work = dir.resolve("run");
        assertThat(Rs4j.execute("train", cfg.toString(), "--work-dir", work.toString())).isZero();

        List<String> log = Files.readAllLines(work.resolve("metrics.jsonl"));
        assertThat(log).hasSize(6);
        assertThat(loss(log.get(log.size() - 1))).isLessThan(loss(log.get(0)));
        JsonNode metrics = Json.MAPPER.readTree(work.resolve("final_metrics.json").toFile());
        assertThat(metrics.get("bbox").get("AP").asDouble()).isGreaterThan(0);
        assertThat(Path.of(metrics.get("results_file").asText())).exists().isAbsolute();
        assertThat(work.resolve("loss.png")).exists();
        assertThat(work.resolve("run.json")).exists();
        assertThat(Files.readString(work.resolve("last_checkpoint")).trim()).isEqualTo("checkpoints/iter_000048");

        // resume: a longer schedule is another config, continued from iteration 48 only when told --force
        CliRunner.Result refused = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString(), "--resume", "--set", "schedule.max_iters=56");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("trained under other settings").contains("config schedule.max_iters: 48 -> 56").contains("--force");
        assertThat(Rs4j.execute("train", cfg.toString(), "--work-dir", work.toString(), "--resume", "--force", "--set", "schedule.max_iters=56")).isZero();
        List<String> resumed = Files.readAllLines(work.resolve("metrics.jsonl"));
        JsonNode last = Json.MAPPER.readTree(resumed.get(resumed.size() - 1));
        assertThat(last.get("iter").asInt()).isEqualTo(56);

        // what the checkpoint holds, by name; and a new run starting from it (mmdetection's load_from)
        CliRunner.Result info = CliRunner.run("checkpoint", "info", work.toString());
        assertThat(info.exitCode()).isZero();
        assertThat(info.out()).contains("checkpoints/iter_000056").contains("next iteration 57").contains("(matches)")
                .containsPattern("\\d+ tensors, \\d+ values").contains("stem_W").contains("[8, 3, 7, 7]");
        CliRunner.Result fromRun = CliRunner.run("train", cfg.toString(), "--work-dir", dir.resolve("finetune").toString(), "--set",
                "schedule.max_iters=2", "--set", "runtime.load_from=\"" + work.resolve("checkpoints/iter_000056") + "\"");
        assertThat(fromRun.exitCode()).as(fromRun.err()).isZero();
        assertThat(fromRun.out()).containsPattern("load_from .*iter_000056: \\d+ tensors \\(\\d+ values\\) loaded\\n").doesNotContain("not loaded");

        Path test = dir.resolve("test");
        assertThat(Rs4j.execute("test", cfg.toString(), "--checkpoint", work.resolve("checkpoints/iter_000056").toString(),
                "--work-dir", test.toString())).isZero();
        assertThat(Json.MAPPER.readTree(test.resolve("final_metrics.json").toFile()).get("bbox").get("AP").asDouble()).isGreaterThan(0);
    }
}
