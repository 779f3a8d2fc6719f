package io.ranksort4j.cli.weights;

import io.ranksort4j.core.weights.CheckpointDownloader;
import io.ranksort4j.core.weights.NpzFiles;
import io.ranksort4j.core.weights.PretrainedWeights;
import io.ranksort4j.core.weights.TorchCheckpoint;
import io.ranksort4j.core.weights.TorchTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j weights ...}: fetch torchvision's ImageNet checkpoints, inspect and convert .pth / .npz state_dicts. */
@Command(name = "weights", mixinStandardHelpOptions = true, description = "Pretrained weights: fetch, info, convert (PyTorch .pth read in pure Java).",
        subcommands = {WeightsCommand.Fetch.class, WeightsCommand.Info.class, WeightsCommand.Convert.class})
public final class WeightsCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The tensors of a .pth/.pt checkpoint or an .npz, whichever the file is. */
    static List<TorchTensor> read(Path file, StringBuilder describe) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (TorchCheckpoint.looksLikeCheckpoint(file)) {
            TorchCheckpoint ck = TorchCheckpoint.read(file);
            describe.append("PyTorch checkpoint (").append(ck.format() == TorchCheckpoint.Format.ZIP ? "zip" : "legacy").append(" format)");
            if (!ck.nestedUnder().isEmpty()) {
                describe.append(", state_dict under '").append(ck.nestedUnder()).append("'");
            }
            if (!ck.skipped().isEmpty()) {
                describe.append(", ").append(ck.skipped().size()).append(" non-tensor entries skipped");
            }
            return ck.tensors();
        }
        describe.append(".npz");
        return NpzFiles.read(file);
    }

    /** Prints every tensor's name, dtype and shape and the parameter count. */
    @Command(name = "info", mixinStandardHelpOptions = true, description = "List a .pth or .npz state_dict: names, dtypes, shapes, parameter count.")
    static final class Info implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "A PyTorch checkpoint (.pth/.pt, zip or legacy format) or an .npz.")
        Path file;

        @Override
        public Integer call() {
            StringBuilder kind = new StringBuilder();
            List<TorchTensor> tensors = read(file, kind);
            int width = tensors.stream().mapToInt(t -> t.name().length()).max().orElse(4);
            System.out.println(file + ": " + kind);
            long params = 0;
            long other = 0;
            for (TorchTensor t : tensors) {
                System.out.printf(Locale.ROOT, "  %-" + width + "s  %-8s  %s%n", t.name(), t.dtype().torchName(), Arrays.toString(t.shape()));
                if (t.dtype().isFloatingPoint()) {
                    params += t.numel();
                } else {
                    other += t.numel();
                }
            }
            System.out.printf(Locale.ROOT, "%d tensors, %,d parameters (floating-point values)%s%n", tensors.size(), params,
                    other > 0 ? String.format(Locale.ROOT, " and %,d integer values (e.g. num_batches_tracked)", other) : "");
            return 0;
        }
    }

    /** Writes a checkpoint's floating-point tensors as .npz. */
    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = "Write a .pth state_dict as .npz (numpy's format; ND4J's Nd4j.createFromNpzFile reads it). "
                    + "float16/bfloat16 widen to float32; integer buffers such as num_batches_tracked are left out.")
    static final class Convert implements Callable<Integer> {
        @Parameters(paramLabel = "FILE.pth", description = "A PyTorch checkpoint (zip or legacy format).")
        Path file;

        @Option(names = "--out", paramLabel = "FILE.npz", description = "Output file (default: FILE with .npz for its extension).")
        Path out;

        @Override
        public Integer call() {
            TorchCheckpoint ck = TorchCheckpoint.read(file); // an .npz or a non-checkpoint is refused with the reason
            List<TorchTensor> floats = ck.tensors().stream().filter(t -> t.dtype().isFloatingPoint()).toList();
            Path target = out != null ? out : defaultOut(file);
            NpzFiles.write(target, floats);
            long params = floats.stream().mapToLong(TorchTensor::numel).sum();
            int left = ck.tensors().size() - floats.size();
            System.out.printf(Locale.ROOT, "wrote %s: %d tensors, %,d parameters%s%n", target, floats.size(), params,
                    left > 0 ? " (" + left + " integer tensors left out, e.g. num_batches_tracked)" : "");
            return 0;
        }

        static Path defaultOut(Path in) {
            String n = in.getFileName().toString();
            int dot = n.lastIndexOf('.');
            return in.resolveSibling((dot > 0 ? n.substring(0, dot) : n) + ".npz");
        }
    }

    /** Downloads one of torchvision's ImageNet ResNets into the cache. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Download torchvision's ImageNet weights (resnet18, resnet34, resnet50, resnet101) into $RS4J_HOME/checkpoints "
                    + "(default ~/.cache/ranksort4j/checkpoints), resuming a broken download and checking the SHA-256 prefix in the file name. "
                    + "Configs then say backbone.pretrained = \"torchvision://resnet50\".")
    static final class Fetch implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "resnet18, resnet34, resnet50 or resnet101.")
        String name;

        @Option(names = "--cache", paramLabel = "DIR", description = "Checkpoint directory (default $RS4J_HOME/checkpoints).")
        Path cache;

        @Option(names = "--base-url", paramLabel = "URL", description = "Where to download from (default ${DEFAULT-VALUE}; a mirror with the same file names).",
                defaultValue = PretrainedWeights.TORCHVISION_BASE_URL)
        String baseUrl;

        @Override
        public Integer call() {
            String fileName = PretrainedWeights.fileName(name);
            Path dir = cache != null ? cache : PretrainedWeights.defaultCache();
            Path got = new CheckpointDownloader(baseUrl, dir, System.err, 5, Duration.ofSeconds(2), Duration.ofSeconds(60)).fetch(fileName);
            System.out.println(got);
            if (cache != null && !dir.equals(PretrainedWeights.defaultCache())) {
                System.err.println("note: torchvision://" + name + " looks in " + PretrainedWeights.defaultCache()
                        + " ($RS4J_HOME/checkpoints); to use this copy, give backbone.pretrained = \"" + got + "\"");
            }
            return 0;
        }
    }
}
