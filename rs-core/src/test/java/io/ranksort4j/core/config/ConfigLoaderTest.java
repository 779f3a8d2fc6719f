package io.ranksort4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void aMissingIncludeIsAnErrorNamingTheIncludingFileItsLineAndTheMissingFile() throws Exception {
        Path f = dir.resolve("exp.conf");
        Files.writeString(f, "# an experiment\nmodel.num_classes = 3\ninclude \"_base_/nope.conf\"\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":3").hasMessageContaining(dir.resolve("_base_/nope.conf").toString())
                .hasMessageContaining("no such file").hasMessageNotContaining("classpath");
    }

    @Test
    void aMissingFileIncludeIsReportedTheSameWay() throws Exception {
        Path f = dir.resolve("exp.conf");
        Files.writeString(f, "include required(file(\"" + dir.resolve("gone.conf") + "\"))\n");
        assertThatThrownBy(() -> ConfigLoader.load(f, List.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining(f + ":1").hasMessageContaining(dir.resolve("gone.conf").toString()).hasMessageContaining("no such file");
    }

    @Test
    void differencesListEveryChangedKeyButTheIgnoredOnes() {
        var a = ConfigFactory.parseString("model { depth = 50, neck = {out = 256} }, runtime.log_interval = 20, gone = 1");
        var b = ConfigFactory.parseString("model { depth = 101, neck = {out = 256} }, runtime.log_interval = 5, added = x");
        assertThat(ConfigLoader.differences(a, b, List.of("runtime.log_interval")))
                .containsExactly("added: (absent) -> \"x\"", "gone: 1 -> (absent)", "model.depth: 50 -> 101");
    }
}
