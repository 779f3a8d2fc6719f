package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final String TINY = """
            num_classes = 2
            input_size = [64, 64]
            backbone { depth = 18, base_width = 8 }
            neck { out_channels = 16 }
            head { stacked_convs = 1, feat_channels = 16 }
            anchor { octave_base_scale = 4, scales_per_octave = 3 }
            loss_cls { type = rank_sort }
            """;

    @TempDir
    Path dir;

    static DenseBlueprint blueprint(String type, String hocon) {
        ComponentRegistry r = Injection.registry(List.of());
        return (DenseBlueprint) r.build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, hocon));
    }

    private static ScheduleParams schedule(int iters) {
        return ParamsBinder.bindOrThrow(ScheduleParams.class, ConfigFactory.parseString(
                "lr = 0.01, warmup_iters = 5, policy = fixed, max_iters = " + iters), "schedule");
    }

    private static RuntimeParams runtime(int checkpointEvery) {
        return ParamsBinder.bindOrThrow(RuntimeParams.class, ConfigFactory.parseString(
                "log_interval = 5, keep_checkpoints = 0, checkpoint_interval = " + checkpointEvery), "runtime");
    }

    private TrainerState run(DenseDetector det, int iters, int ckptEvery, TrainerState start, Path work) {
        Trainer t = new Trainer(det, schedule(iters), runtime(ckptEvery), "h");
        Checkpointer c = new Checkpointer(work, 0);
        c.latest().ifPresent(t::load);
        try (TrainLogger log = new TrainLogger(work.resolve("metrics.jsonl"), new PrintStream(new ByteArrayOutputStream()), false, true)) {
            return t.train(new ToyData(64, 4, 10, 5), start, c, log, null);
        }
    }

    @Test
    void rsAtssLossFallsOnAnEasyTask() throws Exception {
        DenseDetector det = blueprint("rs_atss", TINY).build(1);
        run(det, 40, 40, new TrainerState(0, 0, 0, 1, "h", null), dir);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        double first = io.ranksort4j.core.io.Json.MAPPER.readTree(lines.get(0)).get("loss").asDouble();
        double last = io.ranksort4j.core.io.Json.MAPPER.readTree(lines.get(lines.size() - 1)).get("loss").asDouble();
        assertThat(lines).hasSize(8);
        assertThat(last).isLessThan(first * 0.8);
    }

    @Test
    void resumingFromACheckpointContinuesExactly() {
        DenseDetector straight = blueprint("rs_atss", TINY).build(1);
        run(straight, 12, 6, new TrainerState(0, 0, 0, 1, "h", null), dir.resolve("a"));

        DenseDetector first = blueprint("rs_atss", TINY).build(1);
        run(first, 6, 6, new TrainerState(0, 0, 0, 1, "h", null), dir.resolve("b"));
        DenseDetector resumed = blueprint("rs_atss", TINY).build(99);
        Path ck = new Checkpointer(dir.resolve("b"), 0).latest().orElseThrow();
        run(resumed, 12, 6, Checkpointer.readState(ck), dir.resolve("b"));

        assertThat(resumed.graph().params().equalsWithEps(straight.graph().params(), 1e-5)).isTrue();
    }
}
