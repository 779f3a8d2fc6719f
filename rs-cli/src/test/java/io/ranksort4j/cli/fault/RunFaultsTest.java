package io.ranksort4j.cli.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.cli.CliRunner;
import io.ranksort4j.cli.TinyConfig;
import io.ranksort4j.core.run.WorkDirLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults a researcher meets on a shared machine, each tried on purpose, with what the user sees. */
@Tag("fault")
class RunFaultsTest {
    @TempDir
    Path dir;

    @Test
    void aSecondTrainOnTheSameWorkDirIsRefusedAndAKilledHolderLeavesNoStaleLock() throws Exception {
        Path cfg = TinyConfig.write(dir, 400);
        Path work = dir.resolve("run");
        try (Rs4jProcess first = Rs4jProcess.start(dir.resolve("first.log"), "train", cfg.toString(), "--work-dir", work.toString(),
                "--set", "runtime.log_interval=1")) {
            first.awaitOrFail(() -> Rs4jProcess.trainRecords(work.resolve("metrics.jsonl")) >= 1, "its first iteration");
            CliRunner.Result second = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString());
            assertThat(second.exitCode()).isNotZero();
            assertThat(second.err()).contains("work dir " + work + " is in use by another run (rs4j train, pid").contains("another --work-dir");
            first.kill9();
        }
        // the kernel released the dead process's lock: the next run may take it
        WorkDirLock.acquire(work, "train").close();
    }

    @Test
    void anAnnotationFileChangedUnderAResumedRunIsNamedAndNeedsForce() throws Exception {
        Path cfg = TinyConfig.write(dir, 4);
        Path work = dir.resolve("run");
        assertThat(CliRunner.run("train", cfg.toString(), "--work-dir", work.toString()).exitCode()).isZero();
        Path ann = dir.resolve("synth/annotations/instances_train.json");
        Files.writeString(ann, "\n", StandardOpenOption.APPEND);

        CliRunner.Result refused = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString(), "--resume");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("trained under other settings").contains("data " + ann.toAbsolutePath() + " changed since the checkpoint")
                .contains("--force");
        CliRunner.Result forced = CliRunner.run("train", cfg.toString(), "--work-dir", work.toString(), "--resume", "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.out()).contains("warning: --force: resuming").contains("instances_train.json changed");
    }

    @Test
    void aCorruptImageStopsTrainingNamingTheFileOrIsSkippedAndCountedWhenAsked() throws Exception {
        Path cfg = TinyConfig.write(dir, 4);
        CliRunner.Result clean = CliRunner.run("train", cfg.toString(), "--work-dir", dir.resolve("clean").toString());
        assertThat(clean.exitCode()).isZero();
        Path image;
        try (Stream<Path> s = Files.list(dir.resolve("synth/train"))) {
            image = s.sorted().skip(5).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(image);
        Files.write(image, java.util.Arrays.copyOf(bytes, bytes.length / 3));

        CliRunner.Result stopped = CliRunner.run("train", cfg.toString(), "--work-dir", dir.resolve("stopped").toString());
        assertThat(stopped.exitCode()).isNotZero();
        assertThat(stopped.err()).contains("cannot load image").contains(image + ") in epoch 0: truncated JPEG");

        CliRunner.Result skipped = CliRunner.run("train", cfg.toString(), "--work-dir", dir.resolve("skipped").toString(),
                "--set", "data.train.loader.skip_bad_images=true", "--set", "data.val.loader.skip_bad_images=true");
        assertThat(skipped.exitCode()).as(skipped.err()).isZero();
        assertThat(skipped.out()).containsPattern("warning: [1-9]\\d* training images? (was|were) skipped as unreadable");
        assertThat(dir.resolve("skipped/final_metrics.json")).exists();
    }

    @Test
    void anAblationKilledMidRunFinishesWithTheTableOfAnUninterruptedOne() throws Exception {
        Path base = TinyConfig.write(dir, 6);
        String variants = "variants = [\n  { name = \"RS Loss\", set = [] }\n  { name = \"AP Loss\", set = [\"model.type = retinanet\", "
                + "\"model.assigner = {type = atss}\", \"model.loss_cls = {type = ap}\", \"model.loss_bbox = {type = smooth_l1}\"] }\n]\n";
        Path straight = ablation("straight", base, variants);
        Path killed = ablation("killed", base, variants);
        assertThat(CliRunner.run("ablate", straight.toString()).exitCode()).isZero();

        Path second = dir.resolve("killed/ap_loss/seed_3/metrics.jsonl");
        try (Rs4jProcess p = Rs4jProcess.start(dir.resolve("ablate.log"), "ablate", killed.toString())) {
            p.awaitOrFail(() -> Rs4jProcess.trainRecords(second) >= 3, "3 iterations of the second variant");
            p.kill9();
        }
        CliRunner.Result r = CliRunner.run("ablate", killed.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("done already: RS Loss, seed 3").contains("resuming from");
        assertThat(apColumns(dir.resolve("killed/table.csv"))).isEqualTo(apColumns(dir.resolve("straight/table.csv")));
    }

    private Path ablation(String name, Path base, String variants) throws Exception {
        Path file = dir.resolve(name + ".conf");
        Files.writeString(file, "base = \"" + base + "\"\nseeds = [3]\nwork_dir = \"" + dir.resolve(name)
                + "\"\noverrides = [\"runtime.log_interval = 1\", \"runtime.checkpoint_interval = 2\"]\n" + variants);
        return file;
    }

    /** table.csv without its last two columns (train minutes and images per second, which measure the machine). */
    private static List<String> apColumns(Path csv) throws Exception {
        return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(',', l.lastIndexOf(',') - 1))).toList();
    }
}
