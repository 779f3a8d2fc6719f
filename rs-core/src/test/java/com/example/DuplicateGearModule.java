package com.example;

import com.google.inject.AbstractModule;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.Registries;
import io.ranksort4j.core.registry.Widgets;

/** A module that binds a name the built-ins already use: must be rejected. */
public class DuplicateGearModule extends AbstractModule {
    @Override
    protected void configure() {
        Registries.factories(binder(), Widgets.FAMILY).addBinding("gear")
                .toInstance(ComponentFactory.of(Widgets.SpringParams.class, "another gear", (Widgets.SpringParams p) -> (Widgets.Widget) () -> "fake"));
    }
}
