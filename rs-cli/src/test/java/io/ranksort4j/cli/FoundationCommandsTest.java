package io.ranksort4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Family;
import io.ranksort4j.core.registry.Injection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoundationCommandsTest {
    @TempDir
    Path dir;

    @Test
    void helpListsTheSubcommands() {
        CliRunner.Result r = CliRunner.run("--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("components", "config");
    }

    @Test
    void componentsListsEveryFamilyWithNamesAndDefaults() {
        CliRunner.Result r = CliRunner.run("components");
        assertThat(r.exitCode()).isZero();
        ComponentRegistry registry = Injection.registry(List.of());
        assertThat(registry.families()).isNotEmpty();
        for (String family : registry.families().keySet()) {
            assertThat(r.out()).contains(family + " — ");
            for (String name : registry.names(family)) {
                assertThat(r.out()).contains("  " + name + ": ");
            }
        }
    }

    @Test
    void componentsOfAnUnknownFamilySuggestsTheNearest() {
        CliRunner.Result r = CliRunner.run("components", "losss");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("did you mean 'loss'");
    }

    @Test
    void everyRegisteredNameBuildsFromItsDefaults() {
        ComponentRegistry registry = Injection.registry(List.of());
        for (Family<?> family : registry.families().values()) {
            for (String name : registry.names(family.name())) {
                Object built = registry.build(family, ComponentSpec.of(name));
                assertThat(built).as(family.name() + "/" + name).isInstanceOf(family.type());
            }
        }
    }

    @Test
    void configPrintResolvesIncludesAndOverrides() throws Exception {
        Files.writeString(dir.resolve("base.conf"), "model { type = rs_atss, head { loss_cls { type = rank_sort, delta = 0.5 } } }\n");
        Files.writeString(dir.resolve("exp.conf"), "include \"base.conf\"\nruntime.seed = 7\n");
        CliRunner.Result r = CliRunner.run("config", "print", dir.resolve("exp.conf").toString(),
                "--set", "model.head.loss_cls={type = focal}", "--set", "runtime.seed=9");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("type=focal").doesNotContain("delta").contains("seed=9");
    }

    @Test
    void configPrintOfAMissingFileFailsClearly() {
        CliRunner.Result r = CliRunner.run("config", "print", dir.resolve("missing.conf").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("missing.conf").contains("config file not found");
    }
}
