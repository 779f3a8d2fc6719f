package io.ranksort4j.cli.ablate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.cli.Rs4j;
import io.ranksort4j.cli.TinyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblateCommandTest {
    @TempDir
    Path dir;

    @Test
    void runsEveryVariantOnceThenWritesTheTableAndSkipsFinishedRuns() throws Exception {
        Path base = TinyConfig.write(dir, 8);
        Path work = dir.resolve("abl");
        Path file = dir.resolve("ablation.conf");
        Files.writeString(file, "base = \"" + base.toString().replace("\\", "/") + "\"\nseeds = [3]\nwork_dir = \""
                + work.toString().replace("\\", "/") + "\"\nvariants = [\n"
                + "  { name = \"RS Loss\", set = [] }\n"
                + "  { name = \"Focal (RetinaNet recipe)\", set = [\"model.type = retinanet\", \"model.loss_cls = {type = focal}\","
                + " \"model.loss_bbox = {type = l1}\"] }\n]\n");
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
}
