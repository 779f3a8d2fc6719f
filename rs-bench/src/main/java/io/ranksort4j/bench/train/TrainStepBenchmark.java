package io.ranksort4j.bench.train;

import io.ranksort4j.bench.Quickstart;
import io.ranksort4j.detectors.engine.TrainStep;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one training step of the quickstart network (forward, recipe, backward, SGD) with RS-ATSS, beside the
 * same network trained by the Focal-ATSS recipe (the baseline), so the table reads as RS-ATSS's relative cost, and
 * beside RS-ATSS with one head shared across levels (tied copies, {@code TiedLevels}) to show what the tying costs.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx6g")
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
public class TrainStepBenchmark {
    /** RS-ATSS as configured. */
    @State(Scope.Benchmark)
    public static class RsAtss {
        TrainStep step;

        @Setup
        public void setup() {
            step = Quickstart.experiment(List.of()).trainStep();
        }
    }

    /** The ATSS baseline: focal loss, GIoU weighted by centerness, centerness branch, one anchor per location. */
    @State(Scope.Benchmark)
    public static class Atss {
        TrainStep step;

        @Setup
        public void setup() {
            step = Quickstart.experiment(List.of("model.type = atss", "model.loss_cls = {type = focal}",
                    "model.loss_bbox = {type = giou, loss_weight = 2.0}",
                    "model.anchor = {octave_base_scale = 8, scales_per_octave = 1}")).trainStep();
        }
    }

    /** RS-ATSS with one head shared by the levels and a Scale per level (the paper configs' structure). */
    @State(Scope.Benchmark)
    public static class RsAtssShared {
        TrainStep step;

        @Setup
        public void setup() {
            step = Quickstart.experiment(List.of("model.head.share_levels = true", "model.head.level_scale = true")).trainStep();
        }
    }

    @Benchmark
    public double rsAtssSharedHead(RsAtssShared s) {
        return s.step.run();
    }

    @Benchmark
    public double rsAtss(RsAtss s) {
        return s.step.run();
    }

    @Benchmark
    public double baselineAtss(Atss s) {
        return s.step.run();
    }
}
