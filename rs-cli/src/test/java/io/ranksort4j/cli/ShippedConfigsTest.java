package io.ranksort4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.engine.Experiment;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ShippedConfigsTest {
    /** Every config in configs/ binds and its detector's recipe builds (no network is allocated, nothing is read). */
    @Test
    void everyShippedConfigBindsAndBuildsItsDetector() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> shipped;
        try (Stream<Path> files = Files.list(root.resolve("configs"))) {
            shipped = files.filter(f -> f.toString().endsWith(".conf")).sorted().toList();
        }
        assertThat(shipped).extracting(f -> f.getFileName().toString())
                .contains("quickstart.conf", "rs_mask_rcnn_quickstart.conf", "mask_rcnn_quickstart.conf", "faster_rcnn_r50_fpn_1x_coco.conf");
        ComponentRegistry registry = Injection.registry(List.of());
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (Path f : shipped) {
            Experiment e = Experiment.of(ConfigLoader.load(f, List.of()), m -> registry, f, Path.of("unused"), quiet);
            assertThat(registry.build(DetectorBlueprint.FAMILY, e.params().model())).as(f.toString()).isNotNull();
        }
    }

    /** Frozen batch-norm statistics only make sense with pretrained ones: no shipped config freezes random ones. */
    @Test
    void onlyConfigsWithPretrainedWeightsFreezeBatchNormStatistics() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        int paper = 0;
        try (Stream<Path> files = Files.list(root.resolve("configs"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".conf")).sorted().toList()) {
                var backbone = ConfigLoader.load(f, List.of()).getConfig("model.backbone");
                boolean pretrained = backbone.hasPath("pretrained") && !backbone.getString("pretrained").isEmpty();
                boolean normEval = backbone.hasPath("norm_eval") && backbone.getBoolean("norm_eval");
                assertThat(normEval).as(f.getFileName().toString()).isEqualTo(pretrained);
                paper += pretrained ? 1 : 0;
            }
        }
        assertThat(paper).isEqualTo(13);
    }

    /**
     * The authors' ATSS-family heads have GroupNorm (32 groups) and RetinaHead none; GN is opt-in here until its memory
     * at 1333 × 800 is brought down (rs_atss_r50_fpn.conf says why), so every shipped head is plain, with 32 groups
     * ready for {@code head.norm = group}, and the group option builds.
     */
    @Test
    void denseHeadsArePlainWithGroupNormOneSettingAway() throws Exception {
        Path configs = Path.of("..").toAbsolutePath().normalize().resolve("configs");
        for (String f : List.of("rs_atss_r50_fpn_1x_coco.conf", "atss_r50_fpn_1x_coco.conf", "retinanet_r50_fpn_1x_coco.conf",
                "ap_loss_r50_fpn_1x_coco.conf", "alrp_loss_r50_fpn_1x_coco.conf", "quickstart.conf")) {
            assertThat(ConfigLoader.load(configs.resolve(f), List.of()).getString("model.head.norm")).as(f).isEqualTo("none");
        }
        var gn = ConfigLoader.load(configs.resolve("rs_atss_r50_fpn_1x_coco.conf"), List.of("model.head.norm=group")).getConfig("model.head");
        assertThat(gn.getInt("norm_groups")).isEqualTo(32);
    }
}
