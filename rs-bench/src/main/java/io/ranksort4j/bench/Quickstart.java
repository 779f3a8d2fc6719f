package io.ranksort4j.bench;

import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.engine.Experiment;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The experiment the data and training benchmarks run on: the quickstart config, or {@code -Drs4j.bench.config}. */
public final class Quickstart {
    private Quickstart() {}

    public static Experiment experiment(List<String> overrides) {
        Path config = Path.of(System.getProperty("rs4j.bench.config", "configs/quickstart.conf"));
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("benchmark config " + config.toAbsolutePath() + " not found; run from the repository root "
                    + "or pass -Drs4j.bench.config=FILE");
        }
        return Experiment.of(ConfigLoader.load(config, overrides), Injection::registry, config, null,
                new PrintStream(OutputStream.nullOutputStream()));
    }
}
