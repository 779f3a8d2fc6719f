package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    @TempDir
    Path work;

    private static TrainerState state(int iter) {
        return TrainerState.start(42, "abc", List.of()).at(iter, iter / 10, 0, Map.of("loss_cls.self_balance", new double[] {50.0 + iter, 1, 2, 3}));
    }

    private static void save(Checkpointer c, int iter) {
        c.save(state(iter), null, f -> Files.writeString(f, "weights " + iter));
    }

    /** Loads the newest usable checkpoint as the trainer would, recording the warnings. */
    private static Path loadLatest(Checkpointer c, List<String> warnings) {
        return c.loadLatest((dir, s) -> {}, (dir, s) -> {
            try {
                assertThat(Files.readString(dir.resolve(Checkpointer.MODEL_FILE))).startsWith("weights");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, warnings::add).orElseThrow();
    }

    @Test
    void savesThenFindsTheLatestAndKeepsOnlyTheNewest() throws Exception {
        Checkpointer c = new Checkpointer(work, 2, "model.depth = 50\n");
        assertThat(c.loadLatest((d, s) -> {}, (d, s) -> {}, w -> {})).isEmpty();
        for (int it : new int[] {10, 20, 30}) {
            save(c, it);
        }
        Path latest = loadLatest(c, new ArrayList<>());
        assertThat(latest.getFileName().toString()).isEqualTo("iter_000030");
        assertThat(Files.readString(latest.resolve(Checkpointer.MODEL_FILE))).isEqualTo("weights 30");
        TrainerState read = Checkpointer.readState(latest);
        assertThat(read.nextIter()).isEqualTo(30);
        assertThat(read.components().get("loss_cls.self_balance")).containsExactly(80.0, 1, 2, 3);
        assertThat(read.weightsCrc32c()).hasSize(8);
        assertThat(Checkpointer.readConfig(latest)).contains("model.depth = 50\n");
        try (var s = Files.list(work.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("iter_000020", "iter_000030");
        }
    }

    @Test
    @Tag("fault")
    void aDiskFullDuringTheWriteLeavesThePreviousCheckpointWholeAndNamesIt() throws Exception {
        Checkpointer c = new Checkpointer(work, 0, null);
        save(c, 5);
        assertThatThrownBy(() -> c.save(state(6), null, f -> {
            Files.writeString(f, "half a weights file");
            throw new IOException("No space left on device");
        })).hasMessageContaining("cannot write checkpoint").hasMessageContaining("No space left on device")
                .hasMessageContaining("The last complete checkpoint is " + work.resolve("checkpoints/iter_000005"));
        assertThat(loadLatest(c, new ArrayList<>()).getFileName().toString()).isEqualTo("iter_000005");
        try (var s = Files.list(work.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("iter_000005");
        }
    }

    @Test
    @Tag("fault")
    void aDamagedNewestCheckpointFallsBackToThePreviousWithAWarning() throws Exception {
        Checkpointer c = new Checkpointer(work, 0, null);
        save(c, 10);
        save(c, 20);
        Files.writeString(work.resolve("checkpoints/iter_000020").resolve(Checkpointer.MODEL_FILE), "weights 2O");
        List<String> warnings = new ArrayList<>();
        assertThat(loadLatest(c, warnings).getFileName().toString()).isEqualTo("iter_000010");
        assertThat(warnings.get(0)).contains("iter_000020 is unusable").contains("CRC-32C");
        assertThat(warnings.get(1)).contains("falling back to").contains("iter_000010");
    }

    @Test
    @Tag("fault")
    void aCheckpointKilledMidWriteIsSkippedAndItsLeftoversRemovedByTheNextSave() throws Exception {
        Checkpointer c = new Checkpointer(work, 0, null);
        save(c, 10);
        // what kill -9 during a save leaves: a temp directory with part of the weights and no state
        Path tmp = Files.createDirectory(work.resolve("checkpoints/.iter_000020.123"));
        Files.writeString(tmp.resolve(Checkpointer.MODEL_FILE), "weig");
        // and a newer directory whose state file is cut short, as a damaged disk might leave it
        Path cut = Files.createDirectory(work.resolve("checkpoints/iter_000030"));
        Files.writeString(cut.resolve(Checkpointer.MODEL_FILE), "weights 30");
        Files.writeString(cut.resolve(Checkpointer.STATE_FILE), "{\"nextIter\": 3");
        Files.writeString(work.resolve(Checkpointer.POINTER), "checkpoints/iter_000030\n");
        List<String> warnings = new ArrayList<>();
        assertThat(loadLatest(c, warnings).getFileName().toString()).isEqualTo("iter_000010");
        assertThat(warnings).anyMatch(w -> w.contains("iter_000030 is unusable"));
        save(c, 20);
        assertThat(tmp).doesNotExist();
    }

    @Test
    void aRefusalBeforeLoadingEndsTheSearchInsteadOfFallingBack() {
        Checkpointer c = new Checkpointer(work, 0, null);
        save(c, 10);
        save(c, 20);
        List<String> loaded = new ArrayList<>();
        assertThatThrownBy(() -> c.loadLatest((d, s) -> {
            throw new IllegalArgumentException("trained under other settings");
        }, (d, s) -> loaded.add(d.toString()), w -> {})).hasMessage("trained under other settings");
        assertThat(loaded).isEmpty();
    }

    @Test
    void aCheckpointWrittenBeforeStateNamesAndChecksumsStillReads() throws Exception {
        Path old = Files.createDirectories(work.resolve("checkpoints/iter_000600"));
        Files.writeString(old.resolve(Checkpointer.STATE_FILE),
                "{\"nextIter\": 600, \"epoch\": 3, \"batchInEpoch\": 0, \"seed\": 42, \"configHash\": \"abc\", \"extra\": {}}");
        Files.writeString(old.resolve(Checkpointer.MODEL_FILE), "weights");
        TrainerState s = Checkpointer.verified(old);
        assertThat(s.nextIter()).isEqualTo(600);
        assertThat(s.components()).isEmpty();
        assertThat(s.data()).isEmpty();
        assertThat(s.weightsCrc32c()).isNull();
        assertThat(Checkpointer.readLayout(old)).isEmpty();
    }

    @Test
    void noUsableCheckpointIsOneErrorListingEachReason() throws Exception {
        Files.createDirectories(work.resolve("checkpoints/iter_000100"));
        Files.writeString(work.resolve(Checkpointer.POINTER), "checkpoints/iter_000100\n");
        assertThatThrownBy(() -> new Checkpointer(work, 2, null).loadLatest((d, s) -> {}, (d, s) -> {}, w -> {}))
                .hasMessageContaining("no usable checkpoint").hasMessageContaining("iter_000100 is unusable: weights.bin is missing")
                .hasMessageContaining("drop --resume");
    }
}
