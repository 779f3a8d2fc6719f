package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    @TempDir
    Path work;

    @Test
    void savesThenFindsTheLatestAndKeepsOnlyTheNewest() throws Exception {
        Checkpointer c = new Checkpointer(work, 2);
        assertThat(c.latest()).isEmpty();
        for (int it : new int[] {10, 20, 30}) {
            c.save(new TrainerState(it, it / 10, 0, 42, "abc", Map.of("sb_weight", 50.0 + it)), f -> Files.writeString(f, "weights " + it));
        }
        Path latest = c.latest().orElseThrow();
        assertThat(latest.getFileName().toString()).isEqualTo("iter_000030");
        assertThat(Files.readString(latest.resolve(Checkpointer.MODEL_FILE))).isEqualTo("weights 30");
        assertThat(Checkpointer.readState(latest)).isEqualTo(new TrainerState(30, 3, 0, 42, "abc", Map.of("sb_weight", 80.0)));
        try (var s = Files.list(work.resolve("checkpoints"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("iter_000020", "iter_000030");
        }
    }

    @Test
    void aFailedModelWriteLeavesThePreviousCheckpointInPlace() {
        Checkpointer c = new Checkpointer(work, 0);
        c.save(new TrainerState(5, 0, 5, 1, "h", Map.of()), f -> Files.writeString(f, "ok"));
        assertThatThrownBy(() -> c.save(new TrainerState(6, 0, 6, 1, "h", Map.of()), f -> {
            throw new java.io.IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(c.latest().orElseThrow().getFileName().toString()).isEqualTo("iter_000005");
    }

    @Test
    void aPointerToAnIncompleteCheckpointIsAClearError() throws Exception {
        Files.writeString(work.resolve(Checkpointer.POINTER), "checkpoints/iter_000100\n");
        assertThatThrownBy(() -> new Checkpointer(work, 2).latest()).hasMessageContaining("not a complete checkpoint");
    }
}
