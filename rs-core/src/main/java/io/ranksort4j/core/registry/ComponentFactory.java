package io.ranksort4j.core.registry;

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
