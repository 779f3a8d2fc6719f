package io.ranksort4j.core.registry;

import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.multibindings.Multibinder;

/**
 * Binder helpers for component families. A module (built-in or a researcher's) calls
 * {@code Registries.factories(binder(), LossFamily.FAMILY).addBinding("my_loss").toInstance(...)}.
 */
public final class Registries {
    private Registries() {}

    /** The family's MapBinder; also declares the family so that it is listed even when empty. */
    public static <T> MapBinder<String, ComponentFactory<T>> factories(Binder binder, Family<T> family) {
        declare(binder, family);
        return MapBinder.newMapBinder(binder, TypeLiteral.get(String.class), family.factoryType());
    }

    /** Declares a family without adding names to it. */
    public static void declare(Binder binder, Family<?> family) {
        // Several modules may declare the same family (built-ins and a researcher's); one entry suffices.
        Multibinder<Family<?>> set = Multibinder.newSetBinder(binder, new TypeLiteral<Family<?>>() {});
        set.permitDuplicates();
        set.addBinding().toInstance(family);
    }
}
