package io.ranksort4j.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.engine.ScheduleParams;
import io.ranksort4j.detectors.engine.ToyData;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.Sgd;
import io.ranksort4j.detectors.model.TrainableParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class FitGraphTest {
    private static final TargetCodec CODEC = new TargetCodec(8);

    private static List<DetectionBatch> batches(int n) {
        List<DetectionBatch> out = new ArrayList<>();
        Iterator<DetectionBatch> it = new ToyData(64, 2, n, 3).epoch(0, 0);
        it.forEachRemaining(out::add);
        return out;
    }

    private static MultiDataSet mds(DetectionBatch b) {
        return DetectorBatches.split(b, CODEC, 1)[0];
    }

    private static FitGraph.Built fitGraph(ComponentSpec spec, ScheduleParams s) {
        RecipeLoss loss = RecipeLoss.of(spec, List.of());
        return FitGraph.build(loss.blueprint(), loss, s, 10, 1);
    }

    /** Largest parameter difference after the same steps by the project's Sgd and by DL4J's fit: [others, batch-norm γ/β]. */
    private static double[] stepBothWays(ScheduleParams s, int steps) {
        List<DetectionBatch> data = batches(steps);
        DenseBlueprint bp = RecipeLoss.of(TinyModel.spec(), List.of()).blueprint();
        DenseDetector ref = bp.build(1);
        Sgd sgd = new Sgd(s.momentum(), s.weightDecay(), s.gradClip(), TrainableParams.of(ref.graph(), ref.frozenPrefixes()));
        List<Double> refLoss = new ArrayList<>();
        for (DetectionBatch b : data) {
            HeadLossResult r = ref.forwardBackward(b.images(), b.targets());
            refLoss.add(r.loss());
            sgd.step(ref.graph().params(), ref.graph().gradient().gradient(), s.lr());
        }

        FitGraph.Built fit = fitGraph(TinyModel.spec(), s);
        for (int i = 0; i < steps; i++) {
            double reg = regularisation(fit.graph(), s);
            fit.graph().fit(mds(data.get(i)));
            assertThat(fit.loss().last().loss()).isCloseTo(refLoss.get(i), org.assertj.core.data.Percentage.withPercentage(0.01));
            // DL4J's score is the recipe's loss (DL4J divides by the batch what the loss multiplied by it) plus the L2 term
            assertThat(fit.graph().score()).isCloseTo(fit.loss().last().loss() + reg, org.assertj.core.data.Offset.offset(1e-4));
        }
        double[] max = new double[2];
        Map<String, INDArray> want = ref.graph().paramTable();
        for (Map.Entry<String, INDArray> e : fit.graph().paramTable().entrySet()) {
            double d = e.getValue().sub(want.get(e.getKey())).amaxNumber().doubleValue();
            int k = e.getKey().endsWith("_gamma") || e.getKey().endsWith("_beta") ? 1 : 0;
            max[k] = Math.max(max[k], d);
        }
        return max;
    }

    @Test
    void dl4jFitStepsMatchTheProjectsOwnMomentumSgd() {
        double[] diff = stepBothWays(TinyModel.schedule(
                "lr = 0.02, momentum = 0.9, weight_decay = 0, grad_clip = 0, warmup = none, policy = fixed, max_iters = 3"), 3);
        assertThat(diff[0]).isLessThan(1e-5);
        assertThat(diff[1]).isLessThan(1e-5);
    }

    @Test
    void weightDecayIsTorchsCoupledDecayExceptOnBatchNormScales() {
        // one step from equal weights: the same gradients, so only the decay can differ
        double[] diff = stepBothWays(TinyModel.schedule(
                "lr = 0.02, momentum = 0.9, weight_decay = 0.05, grad_clip = 0, warmup = none, policy = fixed, max_iters = 1"), 1);
        assertThat(diff[0]).isLessThan(1e-6);
        // DL4J never decays batch-norm γ/β: the project's Sgd moves γ = 1 by lr·λ·γ = 1e-3 more
        assertThat(diff[1]).isCloseTo(1e-3, org.assertj.core.data.Offset.offset(1e-5));
    }

    private static double regularisation(ComputationGraph g, ScheduleParams s) {
        double sum = 0;
        for (Map.Entry<String, INDArray> e : g.paramTable().entrySet()) {
            String k = e.getKey();
            if (k.endsWith("_W") || k.endsWith("_b")) {
                sum += e.getValue().norm2Number().doubleValue() * e.getValue().norm2Number().doubleValue();
            }
        }
        return 0.5 * s.weightDecay() * sum;
    }

    @Test
    void theRecipeLossSurvivesDl4jJsonJavaAndModelSerializer() throws Exception {
        ScheduleParams s = TinyModel.schedule("lr = 0.01, warmup = linear, warmup_iters = 5, policy = cosine, max_iters = 20");
        FitGraph.Built fit = fitGraph(TinyModel.spec(), s);
        MultiDataSet m = mds(batches(1).get(0));
        double want = fit.graph().score(m);

        ComputationGraph fromJson = new ComputationGraph(ComputationGraphConfiguration.fromJson(fit.graph().getConfiguration().toJson()));
        fromJson.init(fit.graph().params().dup(), false);
        assertThat(fromJson.score(m)).isEqualTo(want);
        assertThat(fromJson.getConfiguration()).isEqualTo(fit.graph().getConfiguration());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(fit.loss());
        }
        RecipeLoss copy = (RecipeLoss) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(copy).isEqualTo(fit.loss());
        assertThat(copy.layout().width()).isEqualTo(fit.loss().layout().width());

        ByteArrayOutputStream model = new ByteArrayOutputStream();
        ModelSerializer.writeModel(fit.graph(), model, true);
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(model.toByteArray()), true);
        assertThat(restored.score(m)).isEqualTo(want);
    }

    @Test
    void theScheduleDrivesDl4jsLearningRate() {
        ScheduleParams s = TinyModel.schedule("lr = 0.01, warmup = linear, warmup_iters = 10, warmup_ratio = 0.1, policy = step, steps = [15], max_iters = 20");
        MmdetLr lr = new MmdetLr(s, 1);
        io.ranksort4j.detectors.engine.LrSchedule want = new io.ranksort4j.detectors.engine.LrSchedule(s, 1);
        for (int i = 0; i < 20; i++) {
            assertThat(lr.valueAt(i, 0)).isEqualTo(want.lr(i));
        }
        assertThat(lr.valueAt(0, 0)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(lr.valueAt(16, 0)).isCloseTo(0.001, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void frozenStagesStayPutUnderFit() {
        ComponentSpec frozen = ComponentSpec.of("rs_atss", TinyModel.HOCON + "\nbackbone.frozen_stages = 1");
        ScheduleParams s = TinyModel.schedule("lr = 0.05, warmup = none, policy = fixed, max_iters = 2");
        FitGraph.Built fit = fitGraph(frozen, s);
        Map<String, INDArray> before = new java.util.HashMap<>();
        fit.graph().paramTable().forEach((k, v) -> before.put(k, v.dup()));
        for (DetectionBatch b : batches(2)) {
            fit.graph().fit(mds(b));
        }
        int movedTrainable = 0;
        int trainable = 0;
        for (Map.Entry<String, INDArray> e : fit.graph().paramTable().entrySet()) {
            boolean isFrozen = e.getKey().startsWith("stem") || e.getKey().startsWith("layer1_");
            boolean moved = !e.getValue().equalsWithEps(before.get(e.getKey()), 0);
            if (isFrozen) {
                assertThat(moved).as(e.getKey() + " is frozen (batch-norm statistics included)").isFalse();
            } else {
                trainable++;
                movedTrainable += moved ? 1 : 0;
            }
        }
        // a head branch without positives on its level (and zero-initialised biases) may legitimately stay put
        assertThat(movedTrainable).isGreaterThan(trainable * 8 / 10);
        assertThat(fit.graph().getParam("layer2_0_c1_W").equalsWithEps(before.get("layer2_0_c1_W"), 0)).isFalse();
        assertThat(fit.graph().getParam("layer2_0_c1_bn_mean").equalsWithEps(before.get("layer2_0_c1_bn_mean"), 0)).isFalse();
    }
}
