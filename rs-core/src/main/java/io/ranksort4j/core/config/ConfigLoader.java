package io.ranksort4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

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
        Config cfg;
        try {
            cfg = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(new ConfigProblem(e.origin() == null ? file.toString() : Problems.location(e.origin()),
                    "", "cannot parse: " + e.getMessage(), null)));
        }
        return resolve(applyOverrides(cfg, overrides));
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
}
