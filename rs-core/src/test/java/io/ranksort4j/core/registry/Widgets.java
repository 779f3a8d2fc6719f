package io.ranksort4j.core.registry;

import com.google.inject.AbstractModule;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import java.util.List;

/** A small component family used to test the registry machinery without the real components. */
public final class Widgets {
    private Widgets() {}

    /** The family's interface. */
    public interface Widget {
        String describe();
    }

    /** A kind of widget, for slots that take only springs. */
    public interface Springy extends Widget {}

    public static final Family<Widget> FAMILY = new Family<>("widget", Widget.class, "test widgets");

    public enum Finish { MATTE, GLOSSY }

    public record GearParams(
            @Param(value = "number of teeth", def = "12", min = 3) int teeth,
            @Param(value = "tooth scale", def = "0.5", min = 0, max = 1) double alpha,
            @Param(value = "surface", def = "matte") Finish finish,
            @Param(value = "pitch per level", def = "[8, 16, 32]") List<Integer> strides) {
        public GearParams {
            if (strides.isEmpty()) {
                throw new IllegalArgumentException("strides must not be empty");
            }
        }
    }

    public record SpringParams(@Param(value = "stiffness", def = "2.0", min = 0) double stiffness) {}

    /** A widget holding another widget: tests nested component specs. */
    public record BoxParams(
            @Param(value = "the widget inside", def = "{type = spring}", family = "widget") ComponentSpec inner,
            @Param(value = "label", def = "box") String label) {}

    /** A widget with a slot that takes only one kind of widget. */
    public record PackParams(@Param(value = "the spring inside", def = "{type = spring}", family = "widget", kind = {Springy.class}) ComponentSpec spring) {}

    /** Built-in names of the family. */
    public static final class Module extends AbstractModule {
        @Override
        protected void configure() {
            var m = Registries.factories(binder(), FAMILY);
            m.addBinding("gear").toInstance(ComponentFactory.of(GearParams.class, "a gear",
                    (GearParams p) -> (Widget) () -> "gear " + p.teeth() + " " + p.alpha() + " " + p.finish() + " " + p.strides()));
            m.addBinding("spring").toInstance(ComponentFactory.of(SpringParams.class, "a spring",
                    (SpringParams p) -> (Springy) () -> "spring " + p.stiffness()));
            m.addBinding("pack").toInstance(ComponentFactory.of(PackParams.class, "a pack around a spring",
                    (PackParams p, ComponentRegistry r) -> (Widget) () -> "pack[" + r.build(FAMILY, p.spring()).describe() + "]"));
            m.addBinding("box").toInstance(ComponentFactory.of(BoxParams.class, "a box around a widget",
                    (BoxParams p, ComponentRegistry r) -> {
                        Widget inner = r.build(FAMILY, p.inner());
                        return (Widget) () -> p.label() + "[" + inner.describe() + "]";
                    }));
            // same record as box, its own default inside: how detectors default to their own losses
            m.addBinding("crate").toInstance(ComponentFactory.of(BoxParams.class, "a box that holds a gear unless told otherwise",
                    (BoxParams p, ComponentRegistry r) -> {
                        Widget inner = r.build(FAMILY, p.inner());
                        return (Widget) () -> p.label() + "[" + inner.describe() + "]";
                    }).withDefaults("inner { type = gear, teeth = 5 }"));
        }
    }
}
