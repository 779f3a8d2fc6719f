package io.ranksort4j.cli.ablate;

import io.ranksort4j.bench.ablate.Ablation;
import io.ranksort4j.cli.UserModules;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rs4j ablate FILE}: every variant × seed of an ablation, then one table. */
@Command(name = "ablate", mixinStandardHelpOptions = true,
        description = "Run an ablation (variants × seeds; finished runs are skipped) and write table.md, table.csv and charts.")
public final class AblateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        Ablation a = new Ablation(file, modules::registry, System.out);
        System.out.println(a.run());
        System.out.println("table: " + a.workDir().resolve("table.md"));
        return 0;
    }
}
