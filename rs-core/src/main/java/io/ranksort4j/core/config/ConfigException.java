package io.ranksort4j.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration has problems; carries all of them, not just the first. */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        String head = problems.size() == 1 ? "1 problem in the configuration:" : problems.size() + " problems in the configuration:";
        return problems.stream().map(p -> "  " + (problemIndex(problems, p) + 1) + ") " + p.render())
                .collect(Collectors.joining("\n", head + "\n", ""));
    }

    private static int problemIndex(List<ConfigProblem> problems, ConfigProblem p) {
        return problems.indexOf(p);
    }
}
