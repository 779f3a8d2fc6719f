package io.ranksort4j.bench.loss;

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

/** JMH: fast forward+backward of the ranking losses on realistic early-training batches. */
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

    @Setup
    public void setup() {
        fast = LossTimer.fast(loss, LossBenchCase.generate(logits, positives, 42));
    }

    @Benchmark
    public void forwardBackward() {
        fast.run();
    }
}
