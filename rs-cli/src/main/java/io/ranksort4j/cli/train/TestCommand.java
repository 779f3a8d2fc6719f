package io.ranksort4j.cli.train;

import io.ranksort4j.cli.UserModules;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.detectors.engine.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j test CONFIG --checkpoint DIR}: evaluates trained weights on the val split. */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Evaluate a checkpoint on the config's val split (--show-dir: and draw it).")
public final class TestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "A checkpoints/iter_* directory (or its weights.bin).")
    Path checkpoint;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where results and final_metrics.json go.")
    Path workDir;

    @Option(names = "--show-dir", paramLabel = "DIR",
            description = "Also draw each val image: ground truth (left) beside the predictions (right), one file per image.")
    Path showDir;

    @Option(names = "--show-score-thr", paramLabel = "T", defaultValue = "0.3",
            description = "With --show-dir: draw predictions scoring at least T (default ${DEFAULT-VALUE}).")
    double showScoreThr;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        Experiment e = Experiment.of(ConfigLoader.load(config, overrides), modules::registry, config, workDir, System.out);
        if (showScoreThr < 0 || showScoreThr > 1) {
            throw new IllegalArgumentException("--show-score-thr " + showScoreThr + " is not a score; give a value from 0 to 1, e.g. --show-score-thr 0.3");
        }
        e.test(checkpoint, showDir, showScoreThr);
        System.out.println("final metrics: " + e.workDir().resolve("final_metrics.json"));
        return 0;
    }
}
