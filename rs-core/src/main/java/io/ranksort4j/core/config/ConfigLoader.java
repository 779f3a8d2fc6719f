package io.ranksort4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Loads an experiment's HOCON file (with its {@code include}d bases) and applies {@code --set key=value}
 * overrides. An override whose value is an object replaces the object at that key instead of merging.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** Loads, overrides and resolves; errors name the file and the override. */
    public static Config load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "", "config file not found",
                    "give the path of a .conf file, e.g. configs/quickstart.conf")));
        }
        checkIncludes(file, new HashSet<>());
        Config cfg;
        try {
            cfg = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(new ConfigProblem(e.origin() == null ? file.toString() : Problems.location(e.origin()),
                    "", "cannot parse: " + e.getMessage(), null)));
        }
        return resolve(applyOverrides(cfg, overrides));
    }

    private static final Pattern INCLUDE =
            Pattern.compile("^\\s*include\\s+(?:required\\s*\\(\\s*)?(?:(file|url|classpath)\\s*\\(\\s*)?\"([^\"]+)\"");

    /**
     * Every file a config includes must exist: HOCON skips a missing plain {@code include} without a word, and
     * Typesafe's message for a missing {@code required} one names neither the including file nor its line.
     */
    private static void checkIncludes(Path file, Set<Path> seen) {
        if (!seen.add(file.toAbsolutePath().normalize())) {
            return;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), "", "cannot read: " + e.getMessage(), null)));
        }
        for (int i = 0; i < lines.size(); i++) {
            var m = INCLUDE.matcher(lines.get(i));
            if (!m.find() || "url".equals(m.group(1)) || "classpath".equals(m.group(1))) {
                continue;
            }
            Path target = file.toAbsolutePath().getParent().resolve(m.group(2)).normalize();
            if (!Files.isRegularFile(target)) {
                throw new ConfigException(List.of(new ConfigProblem(file + ":" + (i + 1), "", "include \"" + m.group(2) + "\": no such file " + target,
                        "include paths are relative to the including file's directory (" + file.toAbsolutePath().getParent() + ")")));
            }
            checkIncludes(target, seen);
        }
    }

    /** Applies {@code key=value} overrides in order on top of {@code base}. */
    public static Config applyOverrides(Config base, List<String> overrides) {
        Config cfg = base;
        Problems problems = new Problems();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                problems.add(new ConfigProblem("--set " + o, "", "an override must look like key.path=value", "e.g. --set model.head.loss_cls.type=focal"));
                continue;
            }
            String key = o.substring(0, eq).trim();
            String value = o.substring(eq + 1).trim();
            String origin = "--set " + o;
            Config ov;
            try {
                ov = ConfigFactory.parseString(key + " = " + value, ConfigParseOptions.defaults().setOriginDescription(origin));
            } catch (com.typesafe.config.ConfigException e) {
                try {
                    ov = ConfigFactory.empty(origin).withValue(key, ConfigValueFactory.fromAnyRef(value, origin));
                } catch (com.typesafe.config.ConfigException bad) {
                    problems.add(new ConfigProblem(origin, key, "not a valid key path: " + bad.getMessage(), null));
                    continue;
                }
            }
            if (ov.hasPathOrNull(key) && !ov.getIsNull(key) && ov.getValue(key).valueType() == ConfigValueType.OBJECT) {
                // Replace, not merge: changing a component through --set must not keep the old one's keys.
                cfg = cfg.withoutPath(key);
            }
            cfg = ov.withFallback(cfg);
        }
        problems.throwIfAny();
        return cfg;
    }

    private static Config resolve(Config cfg) {
        try {
            return cfg.resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(new ConfigProblem(e.origin() == null ? "<config>" : Problems.location(e.origin()),
                    "", "cannot resolve: " + e.getMessage(), null)));
        }
    }

    /** The resolved config as HOCON, keys sorted, no origin comments: what is written into a run dir. */
    public static String render(Config cfg) {
        return cfg.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

    /** SHA-256 of the resolved config's concise JSON form; identifies a configuration in provenance. */
    public static String hash(Config cfg) {
        try {
            byte[] json = cfg.root().render(ConfigRenderOptions.concise()).getBytes(StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The keys whose values differ between two resolved configs, each as {@code key: before -> after} (a missing
     * key shows as {@code (absent)}), in key order; keys under any of {@code ignoredPrefixes} are left out.
     */
    public static List<String> differences(Config before, Config after, List<String> ignoredPrefixes) {
        Map<String, String> a = flat(before);
        Map<String, String> b = flat(after);
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (ignoredPrefixes.stream().noneMatch(p -> k.equals(p) || k.startsWith(p + ".")) && !Objects.equals(a.get(k), b.get(k))) {
                out.add(k + ": " + a.getOrDefault(k, "(absent)") + " -> " + b.getOrDefault(k, "(absent)"));
            }
        }
        return out;
    }

    private static Map<String, String> flat(Config c) {
        Map<String, String> out = new HashMap<>();
        c.entrySet().forEach(e -> out.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise())));
        return out;
    }
}
