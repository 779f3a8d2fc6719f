package io.ranksort4j.core.config;

import com.typesafe.config.ConfigOrigin;
import java.util.ArrayList;
import java.util.List;

/** Collects configuration problems so that all of them are reported at once. */
public final class Problems {
    private final List<ConfigProblem> list = new ArrayList<>();

    public void add(ConfigOrigin origin, String path, String message, String hint) {
        list.add(new ConfigProblem(location(origin), path, message, hint));
    }

    public void add(ConfigProblem problem) {
        list.add(problem);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<ConfigProblem> all() {
        return List.copyOf(list);
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!list.isEmpty()) {
            throw new ConfigException(list);
        }
    }

    /** {@code file:line} for a file origin, the description (e.g. {@code --set a=b}) otherwise. */
    public static String location(ConfigOrigin origin) {
        if (origin == null) {
            return "<config>";
        }
        String file = origin.filename();
        if (file == null && origin.url() != null) {
            file = origin.url().toString();
        }
        if (file == null) {
            return origin.description();
        }
        return origin.lineNumber() > 0 ? file + ":" + origin.lineNumber() : file;
    }
}
