package io.ranksort4j.bench.loss;

import io.ranksort4j.core.loss.pointwise.FocalLoss;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: fast forward+backward of the ranking losses on realistic early-training batches, beside a sigmoid focal
 * loss over the same logits (the in-process baseline: one pass, no sorting) so results read as ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx8g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RankingLossBenchmark {
    @Param({"rank_sort", "ap", "alrp"})
    public String loss;

    @Param({"200000", "1000000"})
    public int logits;

    @Param({"200", "2000", "5000"})
    public int positives;

    private Runnable fast;
    private Runnable focal;

    @Setup
    public void setup() {
        LossBenchCase c = LossBenchCase.generate(logits, positives, 42);
        fast = LossTimer.fast(loss, c);
        FocalLoss f = new FocalLoss(0.25, 2.0, 1.0);
        focal = () -> f.compute(c.logits(), c.binaryTargets());
    }

    @Benchmark
    public void forwardBackward() {
        fast.run();
    }

    @Benchmark
    public void baselineFocal() {
        focal.run();
    }
}
