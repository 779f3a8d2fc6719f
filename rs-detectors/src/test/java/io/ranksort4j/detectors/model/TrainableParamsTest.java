package io.ranksort4j.detectors.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.Injection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainableParamsTest {
    @Test
    void spansFollowEachParametersPlaceInTheFlatVectorNotTheTablesOrder() {
        DetectorBlueprint bp = Injection.registry(List.of()).build(DetectorBlueprint.FAMILY, ComponentSpec.of("rs_atss", """
                num_classes = 2
                input_size = [64, 64]
                backbone { depth = 18, base_width = 8, frozen_stages = 1 }
                neck { out_channels = 16 }
                head { stacked_convs = 1, feat_channels = 16 }
                """));
        DenseDetector det = (DenseDetector) bp.build(1);
        ComputationGraph g = det.graph();
        TrainableParams masks = TrainableParams.of(g, det.frozenPrefixes());

        // write each parameter's expected mask through its own view of the flat vector, then compare whole vectors
        INDArray saved = g.params().dup();
        INDArray wantTrained = g.params().dup();
        INDArray wantStats = g.params().dup();
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String k = e.getKey();
            boolean frozen = k.startsWith("stem") || k.startsWith("layer1_");
            e.getValue().assign(!frozen && !TrainableParams.isRunningStatistic(k) ? 1 : 0);
        }
        wantTrained.assign(g.params());
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String k = e.getKey();
            boolean frozen = k.startsWith("stem") || k.startsWith("layer1_");
            e.getValue().assign(!frozen && TrainableParams.isRunningStatistic(k) ? 1 : 0);
        }
        wantStats.assign(g.params());
        g.params().assign(saved);

        INDArray trained = masks.trainedMask(g.params().dataType());
        INDArray stats = masks.statisticsMask(g.params().dataType());
        assertThat(trained.equalsWithEps(wantTrained.reshape(trained.shape()), 0)).isTrue();
        assertThat(stats.equalsWithEps(wantStats.reshape(stats.shape()), 0)).isTrue();
    }
}
