package io.ranksort4j.core.registry;

import com.google.inject.AbstractModule;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.Multibinder;
import io.ranksort4j.core.loss.Loss;

/** Always installed: makes the family set exist even when no module adds to it, and declares rs-core's families. */
public final class RegistryModule extends AbstractModule {
    @Override
    protected void configure() {
        Multibinder.newSetBinder(binder(), new TypeLiteral<Family<?>>() {}).permitDuplicates();
        Registries.declare(binder(), Loss.FAMILY);
    }
}
