package io.ranksort4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.Rs4j;
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

    private Path config() throws Exception {
        Path quickstart = Path.of("..", "configs", "quickstart.conf").toAbsolutePath().normalize();
        String data = dir.resolve("synth").toString().replace("\\", "/");
        String synth = "dir = \"" + data + "\", train_images = 16, val_images = 4, categories = 2, size = 128";
        Path cfg = dir.resolve("tiny.conf");
        Files.writeString(cfg, "include file(\"" + quickstart + "\")\n"
                + "model { num_classes = 2, input_size = [128, 128], backbone { base_width = 8 }, neck { out_channels = 16 },"
                + " head { stacked_convs = 1, feat_channels = 16 } }\n"
                // validation on the training images: the test asks whether learning happens, not whether it generalises
                + "data.train.dataset { " + synth + ", split = train }\n"
                + "data.val.dataset { " + synth + ", split = train, filter_empty_gt = false }\n"
                + "data.train.transform.scales = [[128, 128]]\n"
                + "data.val.transform.scales = [[128, 128]]\n"
                + "data.train.loader { batch_size = 4, workers = 1 }\n"
                + "schedule { lr = 0.02, warmup_iters = 5, policy = fixed, max_iters = 48 }\n"
                + "runtime { log_interval = 8, checkpoint_interval = 24 }\n");
        return cfg;
    }

    private static double loss(String line) throws Exception {
        return Json.MAPPER.readTree(line).get("loss").asDouble();
    }

    @Test
    void trainsResumesAndTestsWithFinalMetrics() throws Exception {
        Path cfg = config();
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

        // resume: a longer schedule continues from iteration 48
        assertThat(Rs4j.execute("train", cfg.toString(), "--work-dir", work.toString(), "--resume", "--set", "schedule.max_iters=56")).isZero();
        List<String> resumed = Files.readAllLines(work.resolve("metrics.jsonl"));
        JsonNode last = Json.MAPPER.readTree(resumed.get(resumed.size() - 1));
        assertThat(last.get("iter").asInt()).isEqualTo(56);

        Path test = dir.resolve("test");
        assertThat(Rs4j.execute("test", cfg.toString(), "--checkpoint", work.resolve("checkpoints/iter_000056").toString(),
                "--work-dir", test.toString())).isZero();
        assertThat(Json.MAPPER.readTree(test.resolve("final_metrics.json").toFile()).get("bbox").get("AP").asDouble()).isGreaterThan(0);
    }
}
