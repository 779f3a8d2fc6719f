package io.ranksort4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.data.sampler.Sampler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class DatasetConfigsTest {
    @Test
    void everyDatasetBaseConfigBindsAndBuildsItsComponents() throws Exception {
        Path dir = Path.of("../configs/_base_/datasets");
        ComponentRegistry registry = Injection.registry(List.of());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            Config c = ConfigFactory.parseFile(f.toFile()).resolve();
            for (String split : List.of("train", "val")) {
                DataSpec spec = ParamsBinder.bindOrThrow(DataSpec.class, c.getConfig("data." + split), "data." + split);
                assertThat(registry.build(DatasetSource.FAMILY, spec.dataset())).as(f + " " + split).isNotNull();
                assertThat(registry.build(Sampler.FAMILY, spec.sampler())).isNotNull();
            }
        }
    }
}
