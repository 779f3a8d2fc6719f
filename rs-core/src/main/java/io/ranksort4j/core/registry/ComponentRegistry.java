package io.ranksort4j.core.registry;

import com.google.inject.Injector;
import com.google.inject.Key;
import com.typesafe.config.Config;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Names;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.config.Problems;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every family's named factories, gathered from the Guice MapBinders. Checks component specs (all
 * problems at once, recursively into nested components) and builds components from them.
 */
@Singleton
public final class ComponentRegistry {
    private final Map<String, Family<?>> families = new TreeMap<>();
    private final Map<String, Map<String, ComponentFactory<?>>> factories = new TreeMap<>();

    @Inject
    public ComponentRegistry(Injector injector, Set<Family<?>> declared) {
        for (Family<?> f : declared) {
            Family<?> prev = families.putIfAbsent(f.name(), f);
            if (prev != null && !prev.equals(f)) {
                throw new IllegalStateException("family '" + f.name() + "' declared twice with different types: "
                        + prev.type().getName() + " and " + f.type().getName());
            }
            factories.put(f.name(), Collections.unmodifiableMap(new TreeMap<>(lookup(injector, f))));
        }
    }

    private static <T> Map<String, ComponentFactory<T>> lookup(Injector injector, Family<T> f) {
        Key<Map<String, ComponentFactory<T>>> key = Key.get(f.mapType());
        return injector.getExistingBinding(key) == null ? Map.of() : injector.getInstance(key);
    }

    /** Families by name, sorted. */
    public Map<String, Family<?>> families() {
        return Collections.unmodifiableMap(families);
    }

    /** The names registered in a family, sorted. */
    public List<String> names(String family) {
        return List.copyOf(factoriesOf(family).keySet());
    }

    /** The named factories of a family, sorted by name. */
    public Map<String, ComponentFactory<?>> factoriesOf(String family) {
        Map<String, ComponentFactory<?>> m = factories.get(family);
        if (m == null) {
            throw new IllegalArgumentException("unknown component family '" + family + "'; "
                    + Names.didYouMean(family, families.keySet()) + "families: " + String.join(", ", families.keySet()));
        }
        return m;
    }

    /**
     * Checks a spec (its type and every parameter, recursively) and, when {@code kinds} is not empty, that what it
     * builds is one of them; adds what is wrong to {@code problems}.
     */
    public void check(String family, ComponentSpec spec, List<Class<?>> kinds, Problems problems) {
        Record params = bindParams(family, spec, problems);
        if (params == null || kinds.isEmpty()) {
            return;
        }
        Object built;
        try {
            built = factoriesOf(family).get(spec.type()).create(params, this);
        } catch (IllegalArgumentException e) {
            problems.add(spec.origin(), spec.path(), e.getMessage(), null);
            return;
        }
        if (!isOneOf(kinds, built)) {
            List<String> fitting = fitting(family, kinds);
            String wanted = String.join(" or ", kinds.stream().map(Class::getSimpleName).toList());
            problems.add(spec.config().getValue("type").origin(), spec.path().isEmpty() ? "type" : spec.path() + ".type",
                    "'" + spec.type() + "' is a " + built.getClass().getSimpleName() + ", not the " + wanted + " this slot needs",
                    "accepted types here: " + (fitting.isEmpty() ? "(none registered)" : String.join(", ", fitting)));
        }
    }

    private static boolean isOneOf(List<Class<?>> kinds, Object built) {
        return kinds.stream().anyMatch(k -> k.isInstance(built));
    }

    /** The names in a family whose defaults build one of {@code kinds}, sorted (a name whose defaults cannot be built is left out). */
    private List<String> fitting(String family, List<Class<?>> kinds) {
        return factoriesOf(family).keySet().stream().filter(name -> {
            try {
                return isOneOf(kinds, buildDefault(families.get(family), name));
            } catch (RuntimeException e) {
                return false;
            }
        }).toList();
    }

    /** Builds a component, throwing a {@link io.ranksort4j.core.config.ConfigException} listing every problem. */
    public <T> T build(Family<T> family, ComponentSpec spec) {
        Problems problems = new Problems();
        Record params = bindParams(family.name(), spec, problems);
        problems.throwIfAny();
        return family.type().cast(factoriesOf(family.name()).get(spec.type()).create(params, this));
    }

    /** Builds a component from its defaults alone. */
    public <T> T buildDefault(Family<T> family, String name) {
        return build(family, ComponentSpec.of(name));
    }

    /** The validated parameter record for a spec, or null with problems added. */
    public Record bindParams(String family, ComponentSpec spec, Problems problems) {
        Map<String, ComponentFactory<?>> named = factoriesOf(family);
        ComponentFactory<?> factory = named.get(spec.type());
        if (factory == null) {
            problems.add(spec.config().hasPath("type") ? spec.config().getValue("type").origin() : spec.origin(),
                    spec.path().isEmpty() ? "type" : spec.path() + ".type",
                    "unknown " + family + " type '" + spec.type() + "'",
                    Names.didYouMean(spec.type(), named.keySet()) + "accepted types: "
                            + (named.isEmpty() ? "(none registered)" : String.join(", ", named.keySet())));
            return null;
        }
        Config config = spec.config();
        for (var own : factory.defaults().root().entrySet()) {
            String key = own.getKey();
            if (!config.hasPathOrNull(key)) {
                config = config.withValue(key, own.getValue());
            } else if (own.getValue() instanceof com.typesafe.config.ConfigObject d && !d.containsKey("type")
                    && config.getValue(key) instanceof com.typesafe.config.ConfigObject set) {
                // a plain parameter group (no component type to switch) keeps the name's defaults for the keys not set
                config = config.withValue(key, set.withFallback(d));
            }
        }
        return ParamsBinder.bind(factory.paramsType(), config, spec.path(), problems, this::check);
    }

    /** A listing of every family, name and parameter, sorted; what {@code rs4j components} prints. */
    public Map<String, Map<String, ComponentFactory<?>>> all() {
        Map<String, Map<String, ComponentFactory<?>>> out = new LinkedHashMap<>();
        families.keySet().stream().sorted(Comparator.naturalOrder()).forEach(f -> out.put(f, factories.get(f)));
        return out;
    }
}
