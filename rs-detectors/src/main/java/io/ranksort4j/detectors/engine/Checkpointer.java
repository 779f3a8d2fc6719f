package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes checkpoints as directories ({@code checkpoints/iter_000600/weights.bin} and {@code state.json}),
 * each built in a temp directory and moved into place, then points {@code last_checkpoint} at it.
 */
public final class Checkpointer {
    /** Writes the model's files (weights, updater state) into a directory. */
    @FunctionalInterface
    public interface ModelWriter {
        void write(Path modelFile) throws IOException;
    }

    public static final String POINTER = "last_checkpoint";
    public static final String MODEL_FILE = "weights.bin";
    public static final String STATE_FILE = "state.json";

    private final Path workDir;
    private final int keep;

    public Checkpointer(Path workDir, int keep) {
        this.workDir = workDir;
        this.keep = keep;
    }

    /** Saves a checkpoint and returns its directory. */
    public Path save(TrainerState state, ModelWriter model) {
        Path dir = workDir.resolve("checkpoints").resolve(String.format("iter_%06d", state.nextIter()));
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".");
            model.write(tmp.resolve(MODEL_FILE));
            Json.write(tmp.resolve(STATE_FILE), state);
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.writeString(workDir.resolve(POINTER), workDir.relativize(dir).toString() + "\n");
            prune(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The checkpoint {@code last_checkpoint} points at, if any. */
    public Optional<Path> latest() {
        Path pointer = workDir.resolve(POINTER);
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            Path dir = workDir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim());
            if (!Files.isRegularFile(dir.resolve(MODEL_FILE)) || !Files.isRegularFile(dir.resolve(STATE_FILE))) {
                throw new IllegalStateException(pointer + " points at " + dir + ", which is not a complete checkpoint; "
                        + "delete " + pointer + " to start over or point it at another checkpoints/iter_* directory");
            }
            return Optional.of(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer + ": " + e.getMessage(), e);
        }
    }

    /** Reads a checkpoint's trainer state. */
    public static TrainerState readState(Path checkpointDir) {
        Path f = checkpointDir.resolve(STATE_FILE);
        try {
            return Json.MAPPER.readValue(f.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private void prune(Path current) throws IOException {
        if (keep <= 0) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.list(current.getParent())) {
            all = s.filter(p -> p.getFileName().toString().startsWith("iter_")).sorted().toList();
        }
        for (int i = 0; i < all.size() - keep; i++) {
            if (!all.get(i).equals(current)) {
                deleteTree(all.get(i));
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
