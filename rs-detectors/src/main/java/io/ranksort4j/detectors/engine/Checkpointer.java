package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.detectors.model.ParamLayout;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * Writes checkpoints as directories ({@code checkpoints/iter_000600/weights.bin}, {@code state.json}, the
 * resolved {@code config.conf} and {@code params.json}, the name, shape and offset of every tensor in the weights), each built in a temp directory and moved into place, then points
 * {@code last_checkpoint} at it. A kill at any moment leaves the previous checkpoint whole; a damaged one (its
 * weights no longer match the CRC-32C in its state) is passed over for the one before it.
 */
public final class Checkpointer {
    /** Writes the model's files (weights, updater state) into a directory. */
    @FunctionalInterface
    public interface ModelWriter {
        void write(Path modelFile) throws IOException;
    }

    /** Loads a checkpoint into the live run; throws when its files cannot be read. */
    @FunctionalInterface
    public interface Loader {
        void load(Path checkpointDir, TrainerState state);
    }

    public static final String POINTER = "last_checkpoint";
    public static final String MODEL_FILE = "weights.bin";
    public static final String STATE_FILE = "state.json";
    public static final String CONFIG_FILE = "config.conf";
    public static final String PARAMS_FILE = "params.json";

    private final Path workDir;
    private final int keep;
    private final String config;

    /** {@code config}: the resolved config written into each checkpoint (null: none). */
    public Checkpointer(Path workDir, int keep, String config) {
        this.workDir = workDir;
        this.keep = keep;
        this.config = config;
    }

    /** Saves a checkpoint and returns its directory; {@code layout} (may be null) names the tensors of the weights file. */
    public Path save(TrainerState state, ParamLayout layout, ModelWriter model) {
        Path dir = workDir.resolve("checkpoints").resolve(String.format("iter_%06d", state.nextIter()));
        Path tmp = null;
        try {
            Files.createDirectories(dir.getParent());
            tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".");
            AtomicFiles.readableByAll(tmp, "rwxr-xr-x");
            model.write(tmp.resolve(MODEL_FILE));
            Json.write(tmp.resolve(STATE_FILE), state.withWeightsCrc32c(crc32c(tmp.resolve(MODEL_FILE))));
            if (config != null) {
                AtomicFiles.writeString(tmp.resolve(CONFIG_FILE), config);
            }
            if (layout != null) {
                Json.write(tmp.resolve(PARAMS_FILE), layout.entries());
            }
            if (Files.exists(dir)) {
                deleteTree(dir);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            AtomicFiles.writeString(workDir.resolve(POINTER), workDir.relativize(dir).toString() + "\n");
            prune(dir);
            return dir;
        } catch (IOException e) {
            throw writeFailed(dir, e);
        } catch (UncheckedIOException e) {
            throw writeFailed(dir, e.getCause());
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private UncheckedIOException writeFailed(Path dir, IOException e) {
        return new UncheckedIOException("cannot write checkpoint " + dir + ": " + e.getMessage() + "; training stopped. "
                + latestComplete().map(p -> "The last complete checkpoint is " + p + "; free space, then continue with --resume.")
                .orElse("No checkpoint of this run is complete yet."), e);
    }

    /**
     * Loads the newest usable checkpoint: the one {@code last_checkpoint} names, then the others newest first. Each
     * checkpoint that cannot be read (files missing, state unparsable, weights not matching their CRC, or the
     * loader failing) is reported to {@code warn} and passed over. {@code check} sees each readable checkpoint before
     * it is loaded; what it throws (a refusal: another config, other data) ends the search. Empty when the run has no
     * checkpoint at all.
     */
    public Optional<Path> loadLatest(Loader check, Loader loader, Consumer<String> warn) {
        List<String> failures = new ArrayList<>();
        for (Path dir : candidates()) {
            TrainerState state;
            try {
                state = verified(dir);
            } catch (RuntimeException e) {
                failures.add(unusable(dir, e, warn));
                continue;
            }
            check.load(dir, state);
            try {
                loader.load(dir, state);
            } catch (RuntimeException e) {
                failures.add(unusable(dir, e, warn));
                continue;
            }
            if (!failures.isEmpty()) {
                warn.accept("falling back to " + dir);
            }
            return Optional.of(dir);
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("no usable checkpoint in " + workDir.resolve("checkpoints") + ":\n  " + String.join("\n  ", failures)
                    + "\ndrop --resume to start afresh");
        }
        return Optional.empty();
    }

    private static String unusable(Path dir, RuntimeException e, Consumer<String> warn) {
        String why = dir + " is unusable: " + e.getMessage();
        warn.accept("warning: checkpoint " + why);
        return why;
    }

    /** The checkpoint directories to try, best first: the pointer's, then every other complete-looking one, newest first. */
    List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        Path pointer = workDir.resolve(POINTER);
        try {
            if (Files.isRegularFile(pointer)) {
                out.add(workDir.resolve(Files.readString(pointer, StandardCharsets.UTF_8).trim()).normalize());
            }
            Path root = workDir.resolve("checkpoints");
            if (Files.isDirectory(root)) {
                try (Stream<Path> s = Files.list(root)) {
                    s.filter(p -> p.getFileName().toString().startsWith("iter_")).map(Path::normalize)
                            .sorted(Comparator.reverseOrder()).filter(p -> !out.contains(p)).forEach(out::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the checkpoints of " + workDir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The newest checkpoint that looks complete, without loading it. */
    public Optional<Path> latestComplete() {
        return candidates().stream().filter(d -> Files.isRegularFile(d.resolve(MODEL_FILE)) && Files.isRegularFile(d.resolve(STATE_FILE))).findFirst();
    }

    /** A checkpoint's state after checking that its files are there and its weights are the ones written. */
    public static TrainerState verified(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("no such directory");
        }
        for (String f : List.of(MODEL_FILE, STATE_FILE)) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new IllegalStateException(f + " is missing");
            }
        }
        TrainerState state = readState(dir);
        if (state.weightsCrc32c() != null) {
            String crc = crc32c(dir.resolve(MODEL_FILE));
            if (!crc.equals(state.weightsCrc32c())) {
                throw new IllegalStateException(MODEL_FILE + " has CRC-32C " + crc + " but " + STATE_FILE + " recorded " + state.weightsCrc32c()
                        + " (the file was damaged or replaced)");
            }
        }
        return state;
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

    /** The resolved config a checkpoint was written under, if it holds one (checkpoints before 2026-12 do not). */
    public static Optional<String> readConfig(Path checkpointDir) {
        Path f = checkpointDir.resolve(CONFIG_FILE);
        try {
            return Files.isRegularFile(f) ? Optional.of(Files.readString(f, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    /** The names, shapes and offsets of a checkpoint's tensors, if it records them (checkpoints before 2026-12 do not). */
    public static Optional<ParamLayout> readLayout(Path checkpointDir) {
        Path f = checkpointDir.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ParamLayout(List.of(Json.MAPPER.readValue(f.toFile(), ParamLayout.Entry[].class))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }

    private static String crc32c(Path file) {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                crc.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return String.format("%08x", crc.getValue());
    }

    private void prune(Path current) throws IOException {
        try (Stream<Path> s = Files.list(current.getParent())) {
            for (Path p : s.toList()) {
                // temp directories of saves that a kill interrupted
                if (p.getFileName().toString().startsWith(".iter_")) {
                    deleteTree(p);
                }
            }
        }
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

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException e) {
            // the next save removes what is left
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
