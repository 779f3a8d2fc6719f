package io.ranksort4j.bench.roi;

import io.ranksort4j.detectors.roi.RoiAlign;
import java.util.Random;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH: RoIAlign forward + backward of 512 RoIs to 7×7 on a 1×256×100×152 map (stride 8 of 800×1216), adaptive
 * sampling, aligned; beside a copy of an output-sized array (the baseline), so the ratio is in units of
 * touching the pooled features once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx4g")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RoiAlignBenchmark {
    static final int N = 1;
    static final int C = 256;
    static final int H = 100;
    static final int W = 152;
    static final int K = 512;
    static final float STRIDE = 8f;

    private final RoiAlign op = new RoiAlign(new RoiAlign.Params(7, 7, 1f / STRIDE, 0, true));
    private float[] features;
    private float[] rois;
    private float[] gradOut;

    /** Gaussian features and gradient; RoIs like RPN proposals: log-uniform sides of 16–512 px, centres inside the image. */
    @Setup
    public void setup() {
        Random r = new Random(42);
        features = new float[N * C * H * W];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) r.nextGaussian();
        }
        gradOut = new float[K * C * 7 * 7];
        for (int i = 0; i < gradOut.length; i++) {
            gradOut[i] = (float) r.nextGaussian();
        }
        rois = new float[K * 5];
        float imgW = W * STRIDE;
        float imgH = H * STRIDE;
        for (int k = 0; k < K; k++) {
            float bw = (float) (16 * Math.pow(32, r.nextDouble()));
            float bh = (float) (16 * Math.pow(32, r.nextDouble()));
            float cx = r.nextFloat() * imgW;
            float cy = r.nextFloat() * imgH;
            rois[k * 5 + 1] = Math.max(0, cx - bw / 2);
            rois[k * 5 + 2] = Math.max(0, cy - bh / 2);
            rois[k * 5 + 3] = Math.min(imgW, cx + bw / 2);
            rois[k * 5 + 4] = Math.min(imgH, cy + bh / 2);
        }
    }

    @Benchmark
    public void forwardBackward(Blackhole bh) {
        bh.consume(op.forward(features, N, C, H, W, rois, K));
        bh.consume(op.backward(gradOut, N, C, H, W, rois, K));
    }

    @Benchmark
    public float[] baselineCopy() {
        return gradOut.clone();
    }
}
