package io.ranksort4j.cli.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.TinyConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config that cannot train is refused with where it was written and the fix, before anything is written to the run directory. */
class ConfigErrorsTest {
    @TempDir
    Path dir;

    @Test
    void aBoxLossInTheClassificationSlotNamesItsOriginAndTheLossesThatFit() throws Exception {
        Path cfg = TinyConfig.write(dir, 2);
        Path work = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString(), "--set", "model.loss_cls={type = giou}");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--set model.loss_cls={type = giou}").contains("model.loss_cls.type")
                .contains("'giou' is a GiouLoss, not the ClassificationLoss or AlrpLoss this slot needs")
                .containsPattern("accepted types here: .*\\bfocal\\b.*\\brank_sort\\b");
        assertThat(work).doesNotExist();
    }

    @Test
    void stridesThatDoNotMatchThePyramidAreRefusedBeforeTheRunDirectoryExists() throws Exception {
        Path cfg = TinyConfig.write(dir, 2);
        Path work = dir.resolve("run");
        CliRunner.Result r = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString(), "--set", "model.anchor.strides=[8, 16, 32]");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("anchor.strides has 3 levels but neck.num_outs is 5; give one stride per pyramid level");
        assertThat(work).doesNotExist();
    }
}
