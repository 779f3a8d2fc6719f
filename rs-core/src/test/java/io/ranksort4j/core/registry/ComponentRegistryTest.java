package io.ranksort4j.core.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Module;
import com.typesafe.config.Config;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ConfigException;
import io.ranksort4j.core.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComponentRegistryTest {
    @TempDir
    Path dir;

    private static ComponentRegistry registry(Module... extra) {
        List<Module> modules = new ArrayList<>(List.of(new Widgets.Module()));
        modules.addAll(List.of(extra));
        return Guice.createInjector(modules).getInstance(ComponentRegistry.class);
    }

    private static ComponentSpec spec(Config cfg, String path) {
        return new ComponentSpec(cfg.getString(path + ".type"), cfg.getConfig(path), path, cfg.getValue(path).origin());
    }

    @Test
    void changingTheTypeKeySwapsTheBoundImplementation() throws Exception {
        Path f = dir.resolve("exp.conf");
        Files.writeString(f, "part { type = gear, teeth = 20 }\n");
        Config base = ConfigLoader.load(f, List.of());
        Config swapped = ConfigLoader.load(f, List.of("part={type = spring, stiffness = 4}"));
        ComponentRegistry r = registry();
        assertThat(r.build(Widgets.FAMILY, spec(base, "part")).describe()).isEqualTo("gear 20 0.5 MATTE [8, 16, 32]");
        assertThat(r.build(Widgets.FAMILY, spec(swapped, "part")).describe()).isEqualTo("spring 4.0");
    }

    @Test
    void factoriesBuildFreshInstancesWithTheirOwnSettings() {
        ComponentRegistry r = registry();
        Widgets.Widget a = r.build(Widgets.FAMILY, ComponentSpec.of("gear", "teeth = 5"));
        Widgets.Widget b = r.build(Widgets.FAMILY, ComponentSpec.of("gear", "teeth = 7"));
        assertThat(a).isNotSameAs(b);
        assertThat(a.describe()).startsWith("gear 5");
        assertThat(b.describe()).startsWith("gear 7");
    }

    @Test
    void aUserModuleAddsANewNameByClassName() {
        ComponentRegistry r = Guice.createInjector(concat(new Widgets.Module(), Injection.userModules(List.of("com.example.MyWidgetModule"))))
                .getInstance(ComponentRegistry.class);
        assertThat(r.names("widget")).containsExactly("box", "crate", "gear", "lever", "pack", "spring");
        assertThat(r.build(Widgets.FAMILY, ComponentSpec.of("lever", "arm = 9")).describe()).isEqualTo("lever 9");
    }

    @Test
    void aNameBoundTwiceIsAnError() {
        List<Module> modules = concat(new Widgets.Module(), Injection.userModules(List.of("com.example.DuplicateGearModule")));
        assertThatThrownBy(() -> Injection.create(modules))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("registered twice")
                .hasMessageContaining("gear");
    }

    @Test
    void anUnknownModuleClassIsAClearError() {
        assertThatThrownBy(() -> Injection.userModules(List.of("com.example.NoSuchModule")))
                .hasMessageContaining("com.example.NoSuchModule")
                .hasMessageContaining("RS4J_CLASSPATH");
    }

    @Test
    void everyRegisteredNameBuildsFromItsDefaults() {
        ComponentRegistry r = registry(Injection.userModules(List.of("com.example.MyWidgetModule")).get(0));
        for (String name : r.names("widget")) {
            assertThat(r.buildDefault(Widgets.FAMILY, name).describe()).as(name).isNotBlank();
        }
    }

    @Test
    void aNamesOwnDefaultsApplyUnlessTheConfigSetsTheKeyAndThenAreReplacedWhole() {
        ComponentRegistry r = registry();
        assertThat(r.build(Widgets.FAMILY, ComponentSpec.of("crate")).describe()).isEqualTo("box[gear 5 0.5 MATTE [8, 16, 32]]");
        assertThat(r.build(Widgets.FAMILY, ComponentSpec.of("box")).describe()).isEqualTo("box[spring 2.0]");
        // a spring has no teeth: the default gear's keys must not leak into the user's inner widget
        assertThat(r.build(Widgets.FAMILY, ComponentSpec.of("crate", "inner { type = spring }")).describe()).isEqualTo("box[spring 2.0]");
    }

    @Test
    void nestedComponentsAreCheckedAndBuilt() {
        ComponentRegistry r = registry();
        assertThat(r.build(Widgets.FAMILY, ComponentSpec.of("box", "inner { type = gear, teeth = 4 }")).describe())
                .isEqualTo("box[gear 4 0.5 MATTE [8, 16, 32]]");
        assertThatThrownBy(() -> r.build(Widgets.FAMILY, ComponentSpec.of("box", "inner { type = gaer }")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("inner.type")
                .hasMessageContaining("unknown widget type 'gaer'")
                .hasMessageContaining("did you mean 'gear'");
    }

    @Test
    void anUnknownTypeListsTheAcceptedTypesAndSuggestsTheNearest() throws Exception {
        Path f = dir.resolve("typo.conf");
        Files.writeString(f, "# a comment\npart {\n  type = sprnig\n}\n");
        Config cfg = ConfigLoader.load(f, List.of());
        assertThatThrownBy(() -> registry().build(Widgets.FAMILY, spec(cfg, "part")))
                .hasMessageContaining("typo.conf:3")
                .hasMessageContaining("did you mean 'spring'")
                .hasMessageContaining("accepted types: box, crate, gear, pack, spring");
    }

    @Test
    void aTypedSlotRefusesAnotherKindAtItsLineAndListsTheNamesThatFit() throws Exception {
        Path f = dir.resolve("kind.conf");
        Files.writeString(f, "part {\n  type = pack\n  spring {\n    type = gear\n  }\n}\n");
        Config cfg = ConfigLoader.load(f, List.of());
        assertThatThrownBy(() -> registry().build(Widgets.FAMILY, spec(cfg, "part")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kind.conf:4")
                .hasMessageContaining("part.spring.type")
                .hasMessageContaining("not the Springy this slot needs")
                .hasMessageContaining("accepted types here: spring");
        assertThat(registry().build(Widgets.FAMILY, ComponentSpec.of("pack")).describe()).isEqualTo("pack[spring 2.0]");
    }

    @Test
    void theFamiliesAreListedWithTheirNames() {
        ComponentRegistry r = registry();
        assertThat(r.families()).containsKey("widget");
        assertThatThrownBy(() -> r.names("widgte")).hasMessageContaining("did you mean 'widget'");
    }

    private static List<Module> concat(Module first, List<Module> rest) {
        List<Module> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all;
    }
}
