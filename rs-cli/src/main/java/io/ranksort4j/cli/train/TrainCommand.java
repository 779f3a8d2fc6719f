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

/** {@code rs4j train CONFIG}: trains a detector, evaluates it on the val split and writes the run directory. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a detector from a config, then evaluate it.")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Run directory (default: runtime.work_dir or work_dirs/<config name>).")
    Path workDir;

    @Option(names = "--resume", description = "Continue from the work dir's last checkpoint.")
    boolean resume;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        Experiment e = Experiment.of(ConfigLoader.load(config, overrides), modules::registry, config, workDir, System.out);
        e.train(resume);
        System.out.println("final metrics: " + e.workDir().resolve("final_metrics.json"));
        return 0;
    }
}
