package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.ParamLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Named checkpoints: every tensor has a name and shape, and another run's weights load by them. */
class LoadFromTest {
    @TempDir
    Path dir;

    private static Path save(Detector det, Path work) {
        Checkpointer c = new Checkpointer(work, 0, null);
        return c.save(TrainerState.start(1, "h", List.of()).at(3, 0, 3, Map.of()), det.paramLayout(), f -> {
            try (var out = new java.io.DataOutputStream(Files.newOutputStream(f))) {
                Nd4j.write(det.params(), out);
                Nd4j.write(det.params().mul(0), out);
            }
        });
    }

    private static INDArray tensor(Detector det, String name) {
        ParamLayout.Entry e = det.paramLayout().byName().get(name);
        return det.params().get(NDArrayIndex.interval(e.offset(), e.offset() + e.length()));
    }

    @Test
    void everyValueOfEveryDetectorKindHasOneNameAndFrozenStagesKeepTheirNames() {
        DenseDetector unsplit = TrainerTest.blueprint("rs_atss", TrainerTest.TINY).build(1);
        DenseDetector split = TrainerTest.blueprint("rs_atss", TrainerTest.TINY.replace("base_width = 8", "base_width = 8, frozen_stages = 1")).build(1);
        ParamLayout a = unsplit.paramLayout();
        ParamLayout b = split.paramLayout();
        assertThat(a.length()).isEqualTo(unsplit.params().length());
        assertThat(b.byName().keySet()).containsExactlyInAnyOrderElementsOf(a.byName().keySet());
        assertThat(b.byName().get("layer1_0_c1_W").shape()).containsExactly(a.byName().get("layer1_0_c1_W").shape());
        // a name points at its tensor: the same values in both detectors (same seed)
        assertThat(tensor(split, "layer1_0_c1_W")).isEqualTo(tensor(unsplit, "layer1_0_c1_W"));

        Detector mask = TwoStageTrainingTest.build("rs_mask_rcnn", "", 1);
        ParamLayout m = mask.paramLayout();
        assertThat(m.length()).isEqualTo(mask.params().length());
        assertThat(m.byName().keySet()).anyMatch(k -> k.startsWith("box_head.")).anyMatch(k -> k.startsWith("mask_head."));
        Detector cascade = TwoStageTrainingTest.build("rs_cascade_rcnn", "", 1);
        assertThat(cascade.paramLayout().byName().keySet()).anyMatch(k -> k.startsWith("box_head_stage3."));
    }

    @Test
    void aModelForOtherClassesLoadsEverythingButItsClassifierAndSaysWhatItSkipped() {
        DenseDetector two = TrainerTest.blueprint("rs_atss", TrainerTest.TINY).build(7);
        Path ck = save(two, dir);
        DenseDetector three = TrainerTest.blueprint("rs_atss", TrainerTest.TINY.replace("num_classes = 2", "num_classes = 3")).build(8);
        INDArray before = three.params().dup();

        LoadFrom.Report r = LoadFrom.apply(three, ck);

        assertThat(r.skipped()).isNotEmpty().allMatch(s -> s.contains(": shape "));
        assertThat(r.loaded()).isEqualTo(two.paramLayout().entries().size() - r.skipped().size());
        assertThat(r.notInCheckpoint()).isEmpty();
        assertThat(r.summary()).contains(r.loaded() + " tensors").contains("not loaded");
        for (ParamLayout.Entry e : three.paramLayout().entries()) {
            boolean skipped = r.skipped().stream().anyMatch(s -> s.startsWith(e.name() + ":"));
            assertThat(tensor(three, e.name())).as(e.name()).isEqualTo(skipped
                    ? before.get(NDArrayIndex.interval(e.offset(), e.offset() + e.length())) : tensor(two, e.name()));
        }
    }

    @Test
    void aCheckpointWithoutNamesLoadsOnlyIntoTheSameModel() throws Exception {
        DenseDetector a = TrainerTest.blueprint("rs_atss", TrainerTest.TINY).build(7);
        Path ck = save(a, dir);
        Files.delete(ck.resolve(Checkpointer.PARAMS_FILE));
        DenseDetector same = TrainerTest.blueprint("rs_atss", TrainerTest.TINY).build(9);
        assertThat(LoadFrom.apply(same, ck).loadedValues()).isEqualTo(a.params().length());
        assertThat(same.params()).isEqualTo(a.params());
        DenseDetector other = TrainerTest.blueprint("rs_atss", TrainerTest.TINY.replace("num_classes = 2", "num_classes = 3")).build(9);
        assertThatThrownBy(() -> LoadFrom.apply(other, ck)).hasMessageContaining("written before tensors were named");
    }
}
