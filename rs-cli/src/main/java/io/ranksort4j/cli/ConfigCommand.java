package io.ranksort4j.cli;

import com.typesafe.config.Config;
import io.ranksort4j.core.config.ConfigLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j config print CONFIG [--set k=v]}: the resolved configuration. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Work with experiment configs.",
        subcommands = ConfigCommand.Print.class)
final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** Prints the fully resolved config (includes merged, overrides applied). */
    @Command(name = "print", mixinStandardHelpOptions = true, description = "Print the resolved config (bases included, overrides applied).")
    static final class Print implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "CONFIG")
        Path config;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key (repeatable), e.g. model.head.loss_cls.type=focal.")
        List<String> overrides = new ArrayList<>();

        @Override
        public Integer call() {
            Config cfg = ConfigLoader.load(config, overrides);
            System.out.println(ConfigLoader.render(cfg));
            return 0;
        }
    }
}
