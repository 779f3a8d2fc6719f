package io.ranksort4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rs4j train --workers 2}: the tiny job with ParallelWrapper, two workers sharing each batch of 4. */
class TrainWorkersTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersTrainWriteACheckpointAndEvaluateIt() throws Exception {
        Path cfg = TinyConfig.write(dir, 24);
        Path work = dir.resolve("run");
        assertThat(Rs4j.execute("train", cfg.toString(), "--work-dir", work.toString(), "--workers", "2")).isZero();

        List<String> log = Files.readAllLines(work.resolve("metrics.jsonl"));
        assertThat(log).hasSize(3);
        double first = Json.MAPPER.readTree(log.get(0)).get("loss").asDouble();
        double last = Json.MAPPER.readTree(log.get(log.size() - 1)).get("loss").asDouble();
        assertThat(last).isLessThan(first);
        assertThat(Files.readString(work.resolve("last_checkpoint")).trim()).isEqualTo("checkpoints/iter_000024");
        JsonNode metrics = Json.MAPPER.readTree(work.resolve("final_metrics.json").toFile());
        assertThat(metrics.get("bbox").get("AP").asDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void workersRefuseToResume() {
        assertThat(Rs4j.execute("train", dir.resolve("none.conf").toString(), "--workers", "2", "--resume")).isEqualTo(2);
    }
}
