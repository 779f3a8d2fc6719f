package io.ranksort4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import io.ranksort4j.core.registry.Widgets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParamsBinderTest {
    @TempDir
    Path dir;

    private Config load(String name, String text, String... overrides) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return ConfigLoader.load(f, List.of(overrides));
    }

    @Test
    void defaultsFillMissingKeys() {
        Widgets.GearParams p = ParamsBinder.defaults(Widgets.GearParams.class);
        assertThat(p).isEqualTo(new Widgets.GearParams(12, 0.5, Widgets.Finish.MATTE, List.of(8, 16, 32)));
    }

    @Test
    void aMisspeltKeyReportsFileLineAndTheNearestKey() throws Exception {
        Config cfg = load("gear.conf", "gear {\n  type = gear\n  teeth = 10\n  alhpa = 0.3\n}\n");
        assertThatThrownBy(() -> ParamsBinder.bindOrThrow(Widgets.GearParams.class, cfg.getConfig("gear"), "gear"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gear.conf:4")
                .hasMessageContaining("unknown key 'alhpa'")
                .hasMessageContaining("did you mean 'alpha'")
                .hasMessageContaining("accepted keys: teeth, alpha, finish, strides");
    }

    @Test
    void allProblemsAreReportedAtOnce() throws Exception {
        Config cfg = load("many.conf", "g {\n teeth = 2\n alpha = lots\n finish = shiny\n strides = 8\n colour = red\n}\n");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ParamsBinder.bindOrThrow(Widgets.GearParams.class, cfg.getConfig("g"), "g"));
        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage())
                .contains("many.conf:2: g.teeth: value 2 is out of range [3, inf]")
                .contains("many.conf:3: g.alpha: expected a number, got string")
                .contains("many.conf:4: g.finish: unknown value 'shiny'")
                .contains("accepted: matte, glossy")
                .contains("many.conf:5: g.strides: expected a list")
                .contains("many.conf:6: g: unknown key 'colour'");
    }

    @Test
    void recordValidationFailuresBecomeProblems() throws Exception {
        Config cfg = load("v.conf", "g { strides = [] }\n");
        assertThatThrownBy(() -> ParamsBinder.bindOrThrow(Widgets.GearParams.class, cfg.getConfig("g"), "g"))
                .hasMessageContaining("v.conf:1: g: invalid parameters: strides must not be empty");
    }

    @Test
    void changingOnlyTheTypeInAnIncludingFileIsDetectedWithTheFix() throws Exception {
        Files.writeString(dir.resolve("base.conf"), "part {\n  type = gear\n  teeth = 30\n}\n");
        Config cfg = load("child.conf", "include \"base.conf\"\npart.type = spring\n");
        assertThatThrownBy(() -> ParamsBinder.bindOrThrow(Widgets.SpringParams.class, cfg.getConfig("part"), "part"))
                .hasMessageContaining("base.conf:3: part: unknown key 'teeth'")
                .hasMessageContaining("'part.type' was set to 'spring' at")
                .hasMessageContaining("child.conf:2")
                .hasMessageContaining("part = null");
    }

    @Test
    void theSuggestedFixReplacesTheWholeObject() throws Exception {
        Files.writeString(dir.resolve("base2.conf"), "part {\n  type = gear\n  teeth = 30\n}\n");
        Config cfg = load("child2.conf", "include \"base2.conf\"\npart = null\npart { type = spring }\n");
        assertThat(ParamsBinder.bindOrThrow(Widgets.SpringParams.class, cfg.getConfig("part"), "part"))
                .isEqualTo(new Widgets.SpringParams(2.0));
    }

    @Test
    void dottedOverridesSetScalarsAndObjectOverridesReplace() throws Exception {
        Config cfg = load("o.conf", "a { b { type = gear, teeth = 3 }, c = 1 }\n", "a.c=2", "a.b.teeth=7", "a.b={type = spring}");
        assertThat(cfg.getInt("a.c")).isEqualTo(2);
        assertThat(cfg.getConfig("a.b").root().keySet()).containsExactly("type");
        Config merged = load("o2.conf", "a { b { type = gear, teeth = 3 } }\n", "a.b.teeth=7");
        assertThat(merged.getInt("a.b.teeth")).isEqualTo(7);
        assertThat(merged.getValue("a.b.teeth").origin().description()).contains("--set a.b.teeth=7");
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.conf"), List.of()))
                .hasMessageContaining("nope.conf")
                .hasMessageContaining("config file not found");
    }

    @Test
    void theConfigHashIsStableAndSensitive() throws Exception {
        Config a = load("h.conf", "x = 1\ny { z = 2 }\n");
        Config b = load("h2.conf", "y { z = 2 }\nx = 1\n");
        Config c = load("h3.conf", "x = 1\ny { z = 3 }\n");
        assertThat(ConfigLoader.hash(a)).isEqualTo(ConfigLoader.hash(b)).isNotEqualTo(ConfigLoader.hash(c));
    }

    @Test
    void describeListsKeysDefaultsAndRanges() {
        List<ParamInfo> info = ParamsBinder.describe(Widgets.GearParams.class);
        assertThat(info).extracting(ParamInfo::key).containsExactly("teeth", "alpha", "finish", "strides");
        assertThat(info.get(1).range()).isEqualTo("[0, 1]");
        assertThat(info.get(2).type()).isEqualTo("matte|glossy");
        assertThat(info.get(3).type()).isEqualTo("list<integer>");
    }

    @Test
    void snakeCaseAndSuggestions() {
        assertThat(Names.snake("nmsPre")).isEqualTo("nms_pre");
        assertThat(Names.nearest("focall", List.of("focal", "giou", "rank_sort"))).isEqualTo("focal");
        assertThat(Names.nearest("zzz", List.of("focal", "giou"))).isNull();
    }
}
