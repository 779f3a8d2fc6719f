package io.ranksort4j.core.registry;

import com.google.inject.TypeLiteral;
import com.google.inject.util.Types;
import java.util.Map;

/**
 * A component family (losses, backbones, samplers, ...): its config name, the interface its members
 * implement, and one line saying what it is for.
 */
public record Family<T>(String name, Class<T> type, String doc) {

    /** {@code ComponentFactory<T>}: the value type of this family's MapBinder. */
    @SuppressWarnings("unchecked")
    public TypeLiteral<ComponentFactory<T>> factoryType() {
        return (TypeLiteral<ComponentFactory<T>>) TypeLiteral.get(Types.newParameterizedType(ComponentFactory.class, type));
    }

    /** {@code Map<String, ComponentFactory<T>>}: what the family's MapBinder provides. */
    @SuppressWarnings("unchecked")
    public TypeLiteral<Map<String, ComponentFactory<T>>> mapType() {
        return (TypeLiteral<Map<String, ComponentFactory<T>>>) TypeLiteral.get(
                Types.mapOf(String.class, Types.newParameterizedType(ComponentFactory.class, type)));
    }
}
