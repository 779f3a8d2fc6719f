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
                // frozen statistics make BN an affine map the conv can absorb: the paper configs keep one activation per conv
                assertThat(backbone.hasPath("fused_norm") && backbone.getBoolean("fused_norm")).as(f.getFileName().toString()).isEqualTo(pretrained);
                paper += pretrained ? 1 : 0;
            }
        }
        assertThat(paper).isEqualTo(13);
    }

    /**
     * The authors' ATSS-family heads have GroupNorm (32 groups), RetinaHead none; the quickstarts keep plain towers,
     * as their README numbers were measured.
     */
    @Test
    void atssFamilyHeadsHaveGroupNormAndTheOthersNone() throws Exception {
        Path configs = Path.of("..").toAbsolutePath().normalize().resolve("configs");
        for (String f : List.of("rs_atss_r50_fpn_1x_coco.conf", "atss_r50_fpn_1x_coco.conf", "retinanet_r50_fpn_1x_coco.conf",
                "ap_loss_r50_fpn_1x_coco.conf", "alrp_loss_r50_fpn_1x_coco.conf", "quickstart.conf")) {
            var head = ConfigLoader.load(configs.resolve(f), List.of()).getConfig("model.head");
            assertThat(head.getString("norm")).as(f).isEqualTo(f.contains("atss_r50") ? "group" : "none");
            assertThat(head.getInt("norm_groups")).as(f).isEqualTo(32);
        }
    }

    /**
     * mmdetection runs one head over every level (ATSSHead with a Scale per level on the box output, RetinaHead
     * without, RPNHead); the quickstarts keep one head per level, as their README numbers were measured.
     */
    @Test
    void paperConfigsShareOneHeadAcrossLevelsAndOnlyTheAtssFamilyScalesItsBoxOutput() throws Exception {
        Path configs = Path.of("..").toAbsolutePath().normalize().resolve("configs");
        for (String f : List.of("rs_atss_r50_fpn_1x_coco.conf", "atss_r50_fpn_1x_coco.conf", "rs_paa_r50_fpn_1x_coco.conf",
                "paa_r50_fpn_1x_coco.conf", "retinanet_r50_fpn_1x_coco.conf", "ap_loss_r50_fpn_1x_coco.conf", "alrp_loss_r50_fpn_1x_coco.conf")) {
            var head = ConfigLoader.load(configs.resolve(f), List.of()).getConfig("model.head");
            boolean atssFamily = f.contains("atss") || f.contains("paa"); // PAAHead derives from ATSSHead
            assertThat(head.getBoolean("share_levels")).as(f).isTrue();
            assertThat(head.getBoolean("level_scale")).as(f).isEqualTo(atssFamily);
            assertThat(head.getString("norm")).as(f).isEqualTo(atssFamily ? "group" : "none");
        }
        for (String f : List.of("quickstart.conf", "rs_paa_quickstart.conf")) {
            assertThat(ConfigLoader.load(configs.resolve(f), List.of()).getBoolean("model.head.share_levels")).as(f).isFalse();
        }
        // focal loss needs the authors' GN head to rank at the quickstart's schedule (README, "RS-PAA and the PAA baseline")
        var paaHead = ConfigLoader.load(configs.resolve("paa_quickstart.conf"), List.of()).getConfig("model.head");
        assertThat(paaHead.getBoolean("share_levels")).isTrue();
        assertThat(paaHead.getString("norm")).isEqualTo("group");
        for (String f : List.of("rs_mask_rcnn_r50_fpn_1x_coco.conf", "mask_rcnn_r50_fpn_1x_coco.conf", "rs_cascade_rcnn_r50_fpn_1x_coco.conf")) {
            // the RPN shares by default (RcnnParams.RpnParams)
            assertThat(ConfigLoader.load(configs.resolve(f), List.of()).hasPath("model.rpn.share_levels")).as(f).isFalse();
        }
        for (String f : List.of("rs_mask_rcnn_quickstart.conf", "mask_rcnn_quickstart.conf", "rs_cascade_rcnn_synthetic.conf")) {
            assertThat(ConfigLoader.load(configs.resolve(f), List.of()).getBoolean("model.rpn.share_levels")).as(f).isFalse();
        }
    }
}
