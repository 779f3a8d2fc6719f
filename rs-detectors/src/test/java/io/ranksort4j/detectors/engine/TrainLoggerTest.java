package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.run.TensorBoardReader;
import io.ranksort4j.core.run.TensorBoardReader.Event;
import io.ranksort4j.core.run.TensorBoardReader.Scalar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainLoggerTest {
    @TempDir
    Path dir;

    private TrainLogger logger(int resumeIter) {
        return new TrainLogger(dir.resolve("metrics.jsonl"), new PrintStream(new ByteArrayOutputStream()), false, resumeIter);
    }

    /** Iterations {@code from..to} (0-based), logged every second one, as the trainer drives the logger. */
    private static void train(TrainLogger log, int from, int to) {
        for (int it = from; it <= to; it++) {
            log.iteration(it, 8, Map.of("loss", 2.0 - it * 0.125, "loss_rank", 1.0 - it * 0.0625, "lambda", 0.5 + it), 0.25, 0.125);
            if (it % 2 == 1) {
                log.log(0, it, 8, 0.01 * (it + 1));
            }
        }
    }

    private List<Path> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
        }
    }

    @Test
    void everyNumberOfMetricsJsonlIsATensorBoardScalarAtItsIteration() throws IOException {
        try (TrainLogger log = logger(0)) {
            train(log, 0, 3);
            log.val(0, 3, Map.of("AP", 0.25, "AP50", 0.5));
        }
        List<Path> files = eventFiles();
        assertThat(files).hasSize(1);
        assertThat(files.get(0).getParent()).isEqualTo(dir);

        Map<String, List<Scalar>> curves = TensorBoardReader.scalars(files.get(0));
        assertThat(curves.keySet()).containsExactlyInAnyOrder("train/lr", "train/time", "train/data_time", "train/memory_mb",
                "train/lambda", "train/loss", "train/loss_rank", "val/AP", "val/AP50");
        List<JsonNode> records = Files.readAllLines(dir.resolve("metrics.jsonl")).stream().map(TrainLoggerTest::json).toList();
        assertThat(records).hasSize(3);
        for (JsonNode rec : records) {
            String mode = rec.get("mode").asText();
            long iter = rec.get("iter").asLong();
            rec.fields().forEachRemaining(f -> {
                if (f.getValue().isNumber() && !List.of("epoch", "iter", "max_iters", "eta_s").contains(f.getKey())) {
                    String tag = mode + "/" + f.getKey();
                    assertThat(at(curves, tag, iter).value()).as(tag + " at " + iter).isEqualTo((float) f.getValue().asDouble());
                }
            });
        }
        assertThat(curves.get("train/loss")).extracting(Scalar::step).containsExactly(2L, 4L);
        assertThat(curves.get("train/loss")).extracting(Scalar::value).containsExactly(1.9375f, 1.6875f);
        assertThat(curves.get("val/AP")).extracting(Scalar::step, Scalar::value).containsExactly(tuple(4L, 0.25f));
    }

    @Test
    void aResumedRunWritesANewFileThatPurgesWhatFollowedItsCheckpointAndANewRunStartsClean() throws IOException {
        try (TrainLogger log = logger(0)) {
            train(log, 0, 5);
        }
        Path killed = eventFiles().get(0);
        try (TrainLogger log = logger(4)) {
            train(log, 4, 7);
        }
        List<Path> files = eventFiles();
        assertThat(files).hasSize(2).contains(killed);
        Path resumed = files.get(0).equals(killed) ? files.get(1) : files.get(0);
        List<Event> events = TensorBoardReader.read(resumed);
        // PyTorch's SummaryWriter(purge_step=5) writes the same: TensorBoard drops the killed run's steps 5 and on
        assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
        assertThat(events.get(0).step()).isEqualTo(5);
        assertThat(events.get(1).sessionLogStatus()).isEqualTo(1);
        assertThat(events.get(1).step()).isEqualTo(5);
        assertThat(TensorBoardReader.scalars(resumed).get("train/loss")).extracting(Scalar::step).containsExactly(6L, 8L);
        assertThat(TensorBoardReader.scalars(killed).get("train/loss")).extracting(Scalar::step).containsExactly(2L, 4L, 6L);

        try (TrainLogger log = logger(0)) {
            train(log, 0, 1);
        }
        assertThat(eventFiles()).hasSize(1);
        assertThat(TensorBoardReader.scalars(eventFiles().get(0)).get("train/loss")).extracting(Scalar::step).containsExactly(2L);
    }

    private static Scalar at(Map<String, List<Scalar>> curves, String tag, long step) {
        return curves.get(tag).stream().filter(s -> s.step() == step).findFirst().orElseThrow(() -> new AssertionError(tag + " has no step " + step));
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new AssertionError(line, e);
        }
    }
}
