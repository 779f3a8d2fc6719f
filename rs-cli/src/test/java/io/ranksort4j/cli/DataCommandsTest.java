package io.ranksort4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataCommandsTest {
    @TempDir
    static Path dir;
    static Path synth;

    @BeforeAll
    static void generate() {
        synth = dir.resolve("synth");
        CliRunner.Result r = CliRunner.run("data", "synth", "--out", synth.toString(), "--images", "30", "--categories", "10",
                "--seed", "3", "--long-tail");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote 30 train + 3 val images", "long-tailed");
    }

    @Test
    void synthWritesTrainAndValSplitsAndIsIdempotent() {
        assertThat(synth.resolve("annotations/instances_train.json")).isRegularFile();
        assertThat(synth.resolve("annotations/instances_val.json")).isRegularFile();
        assertThat(synth.resolve("train/000000000001.jpg")).isRegularFile();
        assertThat(synth.resolve("val/000000000031.jpg")).isRegularFile();
        CliRunner.Result again = CliRunner.run("data", "synth", "--out", synth.toString(), "--images", "30", "--categories", "10",
                "--seed", "3", "--long-tail");
        assertThat(again.out()).contains("already present");
        CliRunner.Result other = CliRunner.run("data", "synth", "--out", synth.toString(), "--images", "31");
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.err()).contains("other parameters");
    }

    @Test
    void statsReportsCountsFrequencyGroupsAndBoxSizes() {
        CliRunner.Result r = CliRunner.run("data", "stats", "--ann", synth.resolve("annotations/instances_train.json").toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("images                30", "categories            10", "frequency groups", "r: ", "box sizes", "LVIS");
    }

    @Test
    void rfsPrintsAHistogramAndWritesFactorsPerImage() throws Exception {
        Path out = dir.resolve("rfs.json");
        CliRunner.Result r = CliRunner.run("data", "rfs", "--ann", synth.resolve("annotations/instances_train.json").toString(),
                "--threshold", "0.3", "--json", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("repeat factors, t = 0.3", "epoch length: stochastic");
        JsonNode n = Json.MAPPER.readTree(out.toFile());
        assertThat(n.size()).isEqualTo(30);
        assertThat(n.get("1").asDouble()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void showDrawsPngs() throws Exception {
        Path out = dir.resolve("show");
        CliRunner.Result r = CliRunner.run("data", "show", "--ann", synth.resolve("annotations/instances_train.json").toString(),
                "--images", synth.resolve("train").toString(), "--out", out.toString(), "--limit", "3");
        assertThat(r.exitCode()).as(r.err()).isZero();
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(3);
        }
    }

    @Test
    void aMalformedFileIsAnErrorNamingThePath() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"images\": [], \"annotations\": [{\"id\": 1}], \"categories\": []}");
        CliRunner.Result r = CliRunner.run("data", "stats", "--ann", bad.toString());
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.err()).contains("bad.json", "$.annotations[0]", "field 'image_id'");
    }

    @Test
    void componentsListsTheDataFamilies() {
        CliRunner.Result r = CliRunner.run("components", "sampler");
        assertThat(r.out()).contains("repeat_factor", "threshold");
    }
}
