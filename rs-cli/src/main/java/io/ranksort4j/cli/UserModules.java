package io.ranksort4j.cli;

import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --module} option shared by every command that builds components. */
public final class UserModules {
    @Option(names = "--module", paramLabel = "CLASS",
            description = "A Guice module of yours that registers components (repeatable); its jar goes on RS4J_CLASSPATH.")
    List<String> modules = new ArrayList<>();

    /** The module classes named on the command line. */
    public List<String> names() {
        return List.copyOf(modules);
    }

    /** The registry over the built-ins, these modules and the config's {@code custom_modules}. */
    public ComponentRegistry registry(List<String> fromConfig) {
        List<String> all = new ArrayList<>(modules);
        all.addAll(fromConfig);
        return Injection.registry(all);
    }
}
