package io.ranksort4j.cli.bench;

import io.ranksort4j.cli.UserModules;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.detectors.engine.Experiment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j bench train CONFIG}: training step time, images/s and the loss's share of the step. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Time training steps of a config's detector on its training data.")
final class TrainBench implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--warmup", defaultValue = "3", description = "Untimed steps first.")
    int warmup;

    @Option(names = "--iters", defaultValue = "10", description = "Timed steps (the median is reported).")
    int iters;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
    Path json;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        Experiment e = Experiment.of(ConfigLoader.load(config, overrides), modules::registry, config, null, System.out);
        Map<String, Object> r = e.benchmark(warmup, iters);
        System.out.println(Json.pretty(r));
        if (json != null) {
            Json.write(json, r);
        }
        return 0;
    }
}
