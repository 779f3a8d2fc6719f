package io.ranksort4j.cli.loss;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.core.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCheckCommandTest {
    @TempDir
    Path dir;

    private static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Rs4j.execute(args)).isZero();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsLossPartsAndGradientForEachCaseWithBothImplementations() throws Exception {
        Path in = dir.resolve("cases.json");
        Files.writeString(in, "[{\"logits\":[2,1,1.5],\"targets\":[0.6,0.9,0]},{\"logits\":[1,1],\"targets\":[0.8,0],\"delta\":0.5}]");
        for (String impl : new String[] {"fast", "reference"}) {
            JsonNode out = Json.MAPPER.readTree(run("loss-check", "--loss", "rank_sort", "--input", in.toString(), "--impl", impl));
            assertThat(out.size()).isEqualTo(2);
            assertThat(out.get(0).get("ranking_loss").asDouble()).isCloseTo(0.2, org.assertj.core.api.Assertions.within(1e-15));
            assertThat(out.get(0).get("sorting_loss").asDouble()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-15));
            assertThat(out.get(0).get("num_pos").asInt()).isEqualTo(2);
            assertThat(out.get(1).get("grad").get(1).asDouble()).isEqualTo(0.5);
        }
    }

    @Test
    void alrpReportsItsLocalisationPart() throws Exception {
        Path in = dir.resolve("alrp.json");
        Files.writeString(in, "{\"logits\":[2,0],\"targets\":[1,1],\"regression_losses\":[0.4,1.0]}");
        JsonNode out = Json.MAPPER.readTree(run("loss-check", "--loss", "alrp", "--input", in.toString()));
        assertThat(out.get("loc_loss").asDouble()).isCloseTo(0.55, org.assertj.core.api.Assertions.within(1e-15));
        assertThat(out.get("loc_grad").get(0).asDouble()).isEqualTo(0.75);
    }

    @Test
    void aMissingFieldNamesTheCase() throws Exception {
        Path in = dir.resolve("bad.json");
        Files.writeString(in, "[{\"logits\":[1]}]");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Rs4j.execute("loss-check", "--loss", "ap", "--input", in.toString())).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("bad.json[0]: missing field 'targets'");
    }
}
