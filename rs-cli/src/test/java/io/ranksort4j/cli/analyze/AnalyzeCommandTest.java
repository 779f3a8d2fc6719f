package io.ranksort4j.cli.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.TinyConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rs4j analyze curves / per-class} on two tiny runs. */
class AnalyzeCommandTest {
    @TempDir
    Path dir;

    @Test
    void curvesOfTwoRunsAndThePerClassApOfOne() throws Exception {
        Path cfg = TinyConfig.write(dir, 4);
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertThat(CliRunner.run("train", cfg.toString(), "--work-dir", a.toString(), "--set", "runtime.log_interval=1").exitCode()).isZero();
        assertThat(CliRunner.run("train", cfg.toString(), "--work-dir", b.toString(), "--set", "runtime.log_interval=2", "--set", "schedule.lr=0.01")
                .exitCode()).isZero();

        Path png = dir.resolve("curves.png");
        CliRunner.Result curves = CliRunner.run("analyze", "curves", a.toString(), b.toString(), "--keys", "loss,loss_bbox,AP", "--out", png.toString());
        assertThat(curves.exitCode()).as(curves.err()).isZero();
        // no evaluation during these runs: AP is named as not logged, the loss curves are drawn
        assertThat(curves.out()).contains("not logged: " + a + ": AP").contains("curves written to " + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1000);

        CliRunner.Result none = CliRunner.run("analyze", "curves", a.toString(), "--keys", "los", "--out", png.toString());
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("none of the keys [los]");

        CliRunner.Result perClass = CliRunner.run("analyze", "per-class", a.toString());
        assertThat(perClass.exitCode()).as(perClass.err()).isZero();
        assertThat(perClass.out()).containsPattern("category\\s+AP\\s+AP50\\s+AP75").contains("bar chart written to " + a.resolve("per_class_ap.png"));
        assertThat(a.resolve("per_class_ap.png")).exists();
    }
}
