package io.ranksort4j.core.registry;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds one named component from its validated parameter record. Factories, not instances, are bound,
 * so one config can use the same component twice with different settings.
 *
 * @param <T> the family's interface
 */
public interface ComponentFactory<T> {

    /** The record the component's config object binds to (see {@link io.ranksort4j.core.config.Param}). */
    Class<? extends Record> paramsType();

    /** One line for {@code rs4j components}. */
    String doc();

    /**
     * Builds the component. {@code params} is an instance of {@link #paramsType()}; {@code components}
     * builds nested components (e.g. a head's losses).
     */
    T create(Record params, ComponentRegistry components);

    /**
     * This name's own defaults, laid over the record's: each top-level key here replaces the record's
     * default as a whole unless the config sets that key (so a detector can default to its own loss
     * without the user's {@code loss_cls} being merged into it); a parameter group without a {@code type}
     * (e.g. a cascade's {@code roi}) is merged key by key under the config's own keys.
     */
    default Config defaults() {
        return ConfigFactory.empty();
    }

    /** This factory with its own defaults, written in HOCON: {@code f.withDefaults("loss_cls { type = alrp }")}. */
    default ComponentFactory<T> withDefaults(String hocon) {
        ComponentFactory<T> base = this;
        Config own = ConfigFactory.parseString(hocon).withFallback(base.defaults()).resolve();
        return new ComponentFactory<>() {
            @Override
            public Class<? extends Record> paramsType() {
                return base.paramsType();
            }

            @Override
            public String doc() {
                return base.doc();
            }

            @Override
            public T create(Record params, ComponentRegistry components) {
                return base.create(params, components);
            }

            @Override
            public Config defaults() {
                return own;
            }
        };
    }

    /** A factory from a typed function that also needs the registry for nested components. */
    static <T, P extends Record> ComponentFactory<T> of(Class<P> paramsType, String doc, BiFunction<P, ComponentRegistry, T> create) {
        return new ComponentFactory<>() {
            @Override
            public Class<? extends Record> paramsType() {
                return paramsType;
            }

            @Override
            public String doc() {
                return doc;
            }

            @Override
            public T create(Record params, ComponentRegistry components) {
                return create.apply(paramsType.cast(params), components);
            }

            @Override
            public String toString() {
                return "ComponentFactory[" + paramsType.getSimpleName() + "]";
            }
        };
    }

    /** A factory for a component without nested components. */
    static <T, P extends Record> ComponentFactory<T> of(Class<P> paramsType, String doc, Function<P, T> create) {
        return of(paramsType, doc, (P p, ComponentRegistry r) -> create.apply(p));
    }
}
