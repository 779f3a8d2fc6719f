package io.ranksort4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;

/**
 * A nested component as written in a config: its registry {@code type}, the rest of its object, the
 * dotted path it sits at (for error messages) and where it was written.
 */
public record ComponentSpec(String type, Config config, String path, ConfigOrigin origin) {

    /** A spec made in code (tests, defaults): {@code ComponentSpec.of("focal", "alpha = 0.3")}. */
    public static ComponentSpec of(String type, String hocon) {
        Config c = ConfigFactory.parseString(hocon == null ? "" : hocon).withFallback(ConfigFactory.parseString("type = " + type));
        return new ComponentSpec(type, c.resolve(), "", c.origin());
    }

    public static ComponentSpec of(String type) {
        return of(type, "");
    }
}
