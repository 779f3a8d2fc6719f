package io.ranksort4j.cli.ablate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.bench.ablate.Ablation;
import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.registry.Injection;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblateCommandTest {
    @TempDir
    Path dir;

    /** A one-seed ablation of the tiny config: "RS Loss" (no overrides) and then {@code secondVariant}. */
    private Path ablation(Path work, String secondVariant) throws Exception {
        Path base = TinyConfig.write(dir, 8);
        Path file = dir.resolve("ablation.conf");
        Files.writeString(file, "base = \"" + base.toString().replace("\\", "/") + "\"\nseeds = [3]\nwork_dir = \""
                + work.toString().replace("\\", "/") + "\"\nvariants = [\n  { name = \"RS Loss\", set = [] }\n" + secondVariant + "]\n");
        return file;
    }

    @Test
    void runsEveryVariantOnceThenWritesTheTableAndSkipsFinishedRuns() throws Exception {
        Path work = dir.resolve("abl");
        Path file = ablation(work, "  { name = \"Focal (RetinaNet recipe)\", set = [\"model.type = retinanet\", \"model.loss_cls = {type = focal}\","
                + " \"model.loss_bbox = {type = l1}\"] }\n");
        assertThat(Rs4j.execute("ablate", file.toString())).isZero();
        String table = Files.readString(work.resolve("table.md"));
        assertThat(table).contains("| variant | AP | AP50").contains("| RS Loss |").contains("| Focal (RetinaNet recipe) |");
        assertThat(Files.readAllLines(work.resolve("table.csv"))).hasSize(3);
        assertThat(work.resolve("ap.png")).exists();
        assertThat(work.resolve("losses.png")).exists();
        long before = Files.getLastModifiedTime(work.resolve("rs_loss/seed_3/final_metrics.json")).toMillis();
        assertThat(Rs4j.execute("ablate", file.toString())).isZero();
        assertThat(Files.getLastModifiedTime(work.resolve("rs_loss/seed_3/final_metrics.json")).toMillis()).isEqualTo(before);
    }

    @Test
    void aMistakeInAnyVariantFailsBeforeAnythingTrainsAndNamesTheVariant() throws Exception {
        Path work = dir.resolve("abl");
        Path file = ablation(work, "  { name = \"typo\", set = [\"model.loss_cls = {type = rank_srot}\"] }\n");
        CliRunner.Result r = CliRunner.run("ablate", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("variant 'typo'").contains("unknown loss type 'rank_srot'").contains("did you mean 'rank_sort'");
        assertThat(work.resolve("rs_loss")).doesNotExist();
    }

    /** The shipped ablation files name real keys and components in every variant (binding only, nothing trains). */
    @Test
    void everyShippedAblationBinds() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> shipped;
        try (Stream<Path> files = Files.list(root.resolve("configs/ablations"))) {
            shipped = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(shipped).extracting(f -> f.getFileName().toString())
                .contains("losses_atss.conf", "rs_components.conf", "delta.conf", "balancing.conf", "rfs_long_tail.conf", "rcnn_recipes.conf");
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (Path f : shipped) {
            // the shipped files name their base relative to the repository root; point it there
            Path copy = dir.resolve(f.getFileName());
            Files.writeString(copy, "include file(\"" + f.toString().replace("\\", "/") + "\")\nbase = \""
                    + root.resolve(com.typesafe.config.ConfigFactory.parseFile(f.toFile()).getString("base")).toString().replace("\\", "/")
                    + "\"\nwork_dir = \""
                    + dir.resolve("w").toString().replace("\\", "/") + "\"\n");
            List<Ablation.Run> runs = new Ablation(copy, Injection::registry, quiet).plan();
            assertThat(runs).as(f.toString()).isNotEmpty();
            for (Ablation.Run r : runs) {
                // the recipe builds too (checks across keys, such as a softmax head's class count, happen here)
                assertThat(Injection.registry(List.of()).build(io.ranksort4j.detectors.model.DetectorBlueprint.FAMILY, r.experiment().params().model()))
                        .as(f + ": " + r.variant()).isNotNull();
            }
        }
    }
}
