package io.ranksort4j.bench.data;

import io.ranksort4j.bench.Quickstart;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.loader.Batch;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.transform.ImageDecoder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one training batch from the quickstart's loader (decode, resize, flip, normalise, collate, with its
 * workers), beside decoding the same number of images on one thread (the baseline).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DataLoaderBenchmark {
    private DataLoader.Endless batches;
    private Dataset dataset;
    private int batchSize;
    private int next;

    @Setup
    public void setup() {
        DataLoader loader = Quickstart.experiment(List.of()).trainLoader();
        dataset = loader.dataset();
        batchSize = loader.params().batchSize();
        batches = loader.endless(0);
    }

    @TearDown
    public void tearDown() {
        batches.close();
    }

    @Benchmark
    public float loaderBatch() {
        Batch b = batches.next();
        float v = b.images().getFloat(0L);
        b.images().close();
        return v;
    }

    @Benchmark
    public int baselineDecode() {
        int pixels = 0;
        for (int i = 0; i < batchSize; i++) {
            pixels += ImageDecoder.decode(dataset.imagePath(dataset.image(next++ % dataset.size()))).width();
        }
        return pixels;
    }
}
