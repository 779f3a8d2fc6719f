package io.ranksort4j.cli.train;

import io.ranksort4j.detectors.engine.Checkpointer;
import io.ranksort4j.detectors.engine.TrainerState;
import io.ranksort4j.detectors.model.ParamLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code rs4j checkpoint info DIR}: what a checkpoint holds, without loading a model. */
@Command(name = "checkpoint", mixinStandardHelpOptions = true, description = "Inspect training checkpoints.",
        subcommands = CheckpointCommand.Info.class)
public final class CheckpointCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Prints a checkpoint's iteration, config hash, component state, data and every tensor's name and shape. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Iteration, config hash, state, data fingerprints and every tensor's name and shape; checks the weights' CRC.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "A checkpoint directory (checkpoints/iter_NNNNNN) or a run directory (its last checkpoint).")
        Path dir;

        @Override
        public Integer call() throws IOException {
            Path ck = Files.isRegularFile(dir.resolve(Checkpointer.POINTER))
                    ? dir.resolve(Files.readString(dir.resolve(Checkpointer.POINTER)).trim()).normalize() : dir;
            TrainerState s = Checkpointer.verified(ck);
            var out = System.out;
            out.printf("checkpoint %s%n", ck);
            out.printf("  next iteration %d (epoch %d, %d batches into it), seed %d%n", s.nextIter() + 1, s.epoch() + 1, s.batchInEpoch(), s.seed());
            out.printf("  config hash %s%s%n", s.configHash(), Checkpointer.readConfig(ck).isPresent() ? " (" + Checkpointer.CONFIG_FILE + " inside)" : "");
            out.printf(Locale.ROOT, "  %s %.1f MB, CRC-32C %s%n", Checkpointer.MODEL_FILE, size(ck.resolve(Checkpointer.MODEL_FILE)) / 1e6,
                    s.weightsCrc32c() == null ? "not recorded (an older checkpoint)" : s.weightsCrc32c() + " (matches)");
            s.components().forEach((k, v) -> out.printf("  state %s = %s%n", k, Arrays.toString(v)));
            s.data().forEach(d -> out.printf("  data %s (%d images, SHA-256 %s)%n", d.annotationPath(), d.imageCount(), d.sha256()));
            var layout = Checkpointer.readLayout(ck);
            if (layout.isEmpty()) {
                out.println("  tensors: not named (written before " + Checkpointer.PARAMS_FILE + "); one flat vector");
                return 0;
            }
            ParamLayout l = layout.get();
            out.printf("  %d tensors, %d values (momentum buffer of the same layout beside them):%n", l.entries().size(), l.length());
            int width = l.entries().stream().mapToInt(e -> e.name().length()).max().orElse(4);
            for (ParamLayout.Entry e : l.entries()) {
                out.printf("    %-" + width + "s  %-20s %d%n", e.name(), Arrays.toString(e.shape()), e.length());
            }
            return 0;
        }

        private static long size(Path f) {
            try {
                return Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
