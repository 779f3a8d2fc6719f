package com.example;

import com.google.inject.AbstractModule;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.Registries;
import io.ranksort4j.core.registry.Widgets;

/** A researcher's own module, outside the project's packages, adding a name to an existing family. */
public class MyWidgetModule extends AbstractModule {
    public record LeverParams(@Param(value = "arm length", def = "3") int arm) {}

    @Override
    protected void configure() {
        Registries.factories(binder(), Widgets.FAMILY).addBinding("lever")
                .toInstance(ComponentFactory.of(LeverParams.class, "a lever", (LeverParams p) -> (Widgets.Widget) () -> "lever " + p.arm()));
    }
}
