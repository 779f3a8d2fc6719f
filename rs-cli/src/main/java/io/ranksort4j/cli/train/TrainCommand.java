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

    @Option(names = "--force", description = "With --resume: continue even if the config or the data differ from the checkpoint's (the differences are printed).")
    boolean force;

    @Option(names = "--workers", paramLabel = "N", description = "Data-parallel workers on this machine (DL4J ParallelWrapper); they share the config's batch.")
    int workers = 1;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        if (workers > 1) {
            if (resume) {
                throw new IllegalArgumentException("--resume does not combine with --workers; drop one of them");
            }
            io.ranksort4j.parallel.ParallelExperiment.load(config, overrides, workDir, modules.names(), System.out).trainOnThreads(workers);
            return 0;
        }
        Experiment e = Experiment.of(ConfigLoader.load(config, overrides), modules::registry, config, workDir, System.out);
        e.train(resume, force);
        System.out.println("final metrics: " + e.workDir().resolve("final_metrics.json"));
        return 0;
    }
}
