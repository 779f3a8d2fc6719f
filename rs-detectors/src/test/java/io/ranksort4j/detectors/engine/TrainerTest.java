package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.DenseDetector;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.api.ndarray.INDArray;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    static final String TINY = """
            num_classes = 2
            input_size = [64, 64]
            backbone { depth = 18, base_width = 8 }
            neck { out_channels = 16 }
            head { stacked_convs = 1, feat_channels = 16 }
            anchor { octave_base_scale = 4, scales_per_octave = 3 }
            loss_cls { type = rank_sort }
            """;

    @TempDir
    Path dir;

    static DenseBlueprint blueprint(String type, String hocon) {
        ComponentRegistry r = Injection.registry(List.of());
        return (DenseBlueprint) r.build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, hocon));
    }

    private static ScheduleParams schedule(int iters) {
        return ParamsBinder.bindOrThrow(ScheduleParams.class, ConfigFactory.parseString(
                "lr = 0.01, warmup_iters = 5, policy = fixed, max_iters = " + iters), "schedule");
    }

    private static RuntimeParams runtime(int checkpointEvery, int logEvery) {
        return ParamsBinder.bindOrThrow(RuntimeParams.class, ConfigFactory.parseString(
                "keep_checkpoints = 0, checkpoint_interval = " + checkpointEvery + ", log_interval = " + logEvery), "runtime");
    }

    private TrainerState run(Detector det, int iters, int ckptEvery, Path work, TrainData data, int logEvery) {
        Trainer t = new Trainer(det, schedule(iters), runtime(ckptEvery, logEvery));
        Checkpointer c = new Checkpointer(work, 0, null);
        TrainerState start = t.resume(c, (d, s) -> {}, w -> {}).map(Checkpointer::readState).orElse(TrainerState.start(1, "h", List.of()));
        try (TrainLogger log = new TrainLogger(work.resolve("metrics.jsonl"), new PrintStream(new ByteArrayOutputStream()), false, start.nextIter())) {
            return t.train(data, start, c, log, null);
        }
    }

    private TrainerState run(Detector det, int iters, int ckptEvery, Path work) {
        return run(det, iters, ckptEvery, work, new ToyData(64, 4, 10, 5), 5);
    }

    @Test
    void rsAtssLossFallsOnAnEasyTask() throws Exception {
        DenseDetector det = blueprint("rs_atss", TINY).build(1);
        run(det, 40, 40, dir);
        List<String> lines = Files.readAllLines(dir.resolve("metrics.jsonl"));
        double first = Json.MAPPER.readTree(lines.get(0)).get("loss").asDouble();
        double last = Json.MAPPER.readTree(lines.get(lines.size() - 1)).get("loss").asDouble();
        assertThat(lines).hasSize(8);
        assertThat(last).isLessThan(first * 0.8);
    }

    @Test
    void resumingFromACheckpointContinuesExactly() {
        DenseDetector straight = blueprint("rs_atss", TINY).build(1);
        run(straight, 12, 6, dir.resolve("a"));

        DenseDetector first = blueprint("rs_atss", TINY).build(1);
        run(first, 6, 6, dir.resolve("b"));
        DenseDetector resumed = blueprint("rs_atss", TINY).build(99);
        run(resumed, 12, 6, dir.resolve("b"));

        assertThat(resumed.graph().params().equalsWithEps(straight.graph().params(), 1e-5)).isTrue();
    }

    /** The data, stopping the run (as a kill would) when batch {@code stopAt} of the whole run is asked for. */
    private static TrainData stoppingAt(TrainData data, int stopAt) {
        return new TrainData() {
            @Override
            public int batchesPerEpoch() {
                return data.batchesPerEpoch();
            }

            @Override
            public Iterator<DetectionBatch> epoch(int epoch, int skip) {
                Iterator<DetectionBatch> it = data.epoch(epoch, skip);
                int[] served = {epoch * data.batchesPerEpoch() + skip};
                return new Iterator<>() {
                    @Override
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    @Override
                    public DetectionBatch next() {
                        if (served[0]++ == stopAt) {
                            throw new IllegalStateException("killed");
                        }
                        return it.next();
                    }
                };
            }
        };
    }

    @Test
    void anAlrpRunStoppedMidEpochResumesBitIdenticalSelfBalanceIncluded() throws Exception {
        // 3 batches an epoch, self-balance per epoch: the weight changes at iterations 3 and 6; the stop at iteration
        // 6 comes after the mid-epoch checkpoint 4, so the restored partial sums decide the second weight
        String alrp = TINY.replace("loss_cls { type = rank_sort }", "loss_cls { type = alrp, sb_period = epoch }\nassigner { type = atss }");
        TrainData data = new ToyData(64, 2, 3, 5);
        // every iteration logged: a record after the resume then averages the same iterations as the straight run's
        DenseDetector straight = blueprint("alrp_loss", alrp).build(1);
        run(straight, 7, 2, dir.resolve("a"), data, 1);

        DenseDetector killed = blueprint("alrp_loss", alrp).build(1);
        assertThatThrownBy(() -> run(killed, 7, 2, dir.resolve("b"), stoppingAt(data, 5), 1)).hasMessage("killed");
        DenseDetector resumed = blueprint("alrp_loss", alrp).build(99);
        run(resumed, 7, 2, dir.resolve("b"), data, 1);

        assertThat(resumed.graph().params()).isEqualTo(straight.graph().params());
        assertThat(resumed.trainingState().get("loss_cls.self_balance").save())
                .containsExactly(straight.trainingState().get("loss_cls.self_balance").save());
        assertThat(straight.trainingState().get("loss_cls.self_balance").save()[0]).isNotEqualTo(50.0);
        List<String> a = Files.readAllLines(dir.resolve("a/metrics.jsonl"));
        List<String> b = Files.readAllLines(dir.resolve("b/metrics.jsonl"));
        assertThat(b.stream().map(TrainerTest::numbers).toList()).isEqualTo(a.stream().map(TrainerTest::numbers).toList());
    }

    /** A log record's loss terms and gradient norm (timings and memory differ between runs). */
    static Map<String, Double> numbers(String line) {
        try {
            Map<String, Double> out = new TreeMap<>();
            Json.MAPPER.readTree(line).fields().forEachRemaining(e -> {
                if (e.getKey().startsWith("loss") || e.getKey().equals("grad_norm") || e.getKey().equals("sb_weight") || e.getKey().equals("iter")) {
                    out.put(e.getKey(), e.getValue().asDouble());
                }
            });
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    @Tag("fault")
    void aNanLossStopsTheRunBeforeTheStepNamingTheTermAndTheLastGoodCheckpoint() {
        DenseDetector det = blueprint("rs_atss", TINY).build(1);
        INDArray[] before = new INDArray[1];
        Detector poisoned = new ForwardingDetector(det) {
            private int calls;

            @Override
            public HeadLossResult forwardBackward(DetectionBatch batch) {
                HeadLossResult r = super.forwardBackward(batch);
                if (++calls < 3) {
                    return r;
                }
                before[0] = det.params().dup();
                Map<String, Double> terms = new LinkedHashMap<>(r.terms());
                terms.put("loss_bbox", Double.NaN);
                return new HeadLossResult(Double.NaN, terms, r.grads());
            }
        };
        assertThatThrownBy(() -> run(poisoned, 10, 2, dir)).isInstanceOfSatisfying(NonFiniteLossException.class, e -> {
            assertThat(e.iteration()).isEqualTo(3);
            assertThat(e.term()).isEqualTo("loss");
            assertThat(e.getMessage()).contains("iteration 3: loss is NaN").contains("loss_bbox=NaN")
                    .contains("The last good checkpoint is " + dir.resolve("checkpoints/iter_000002"));
        });
        assertThat(det.params()).isEqualTo(before[0]);
    }

    @Test
    @Tag("fault")
    void aNanGradientStopsTheRunWithTheWeightsUntouched() {
        DenseDetector det = blueprint("rs_atss", TINY).build(1);
        INDArray[] before = new INDArray[1];
        Detector poisoned = new ForwardingDetector(det) {
            @Override
            public HeadLossResult forwardBackward(DetectionBatch batch) {
                HeadLossResult r = super.forwardBackward(batch);
                det.gradient().putScalar(7, Float.POSITIVE_INFINITY);
                before[0] = det.params().dup();
                return r;
            }
        };
        assertThatThrownBy(() -> run(poisoned, 10, 2, dir)).isInstanceOfSatisfying(NonFiniteLossException.class, e -> {
            assertThat(e.iteration()).isEqualTo(1);
            assertThat(e.term()).isEqualTo("grad_norm");
            assertThat(e.getMessage()).contains("No checkpoint was written yet");
        });
        assertThat(det.params()).isEqualTo(before[0]);
    }
}
