package io.ranksort4j.detectors.model;

import io.ranksort4j.detectors.model.TrainableParams.Span;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.stream.LongStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * PyTorch's SGD with momentum and coupled weight decay over a graph's flat parameter vector
 * (v ← μv + g + λw; w ← w − lr·v), with optional global-norm gradient clipping as torch's clip_grad_norm_.
 * DL4J has only Nesterov momentum, and its per-layer updater cannot clip by the global norm.
 * <p>
 * Besides the parameters and the gradient it holds one parameter-sized vector, the momentum, as torch does: the update
 * runs in one pass over the trained spans in float32 (training's precision), each step rounded as the separate
 * element-wise ops g·c, g + λw, μv + g and w − lr·v would round it.
 */
public final class Sgd {
    private static final long CHUNK = 1 << 16;
    private final double momentum;
    private final double weightDecay;
    private final double gradClip;
    private final TrainableParams spans;
    private final List<Span> untrained;
    private final INDArray velocity;

    public Sgd(double momentum, double weightDecay, double gradClip, TrainableParams spans) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.gradClip = gradClip;
        this.spans = spans;
        this.untrained = spans.untrainedSpans();
        this.velocity = Nd4j.zeros(DataType.FLOAT, spans.length());
    }

    /** The momentum buffer (saved in checkpoints). */
    public INDArray velocity() {
        return velocity;
    }

    /**
     * One step; returns the gradient's global L2 norm before clipping. The gradient array is overwritten. A NaN or
     * infinite gradient anywhere (batch-norm statistics included) changes nothing and returns NaN: the caller stops.
     */
    public double step(INDArray params, INDArray grad, double lr) {
        if (!Double.isFinite(grad.norm2Number().doubleValue())) {
            return Double.NaN;
        }
        INDArray p = params.reshape(params.length());
        INDArray g = grad.reshape(grad.length());
        if (p.dataType() != DataType.FLOAT || g.dataType() != DataType.FLOAT || p.length() != velocity.length()) {
            throw new IllegalArgumentException("SGD steps float32 parameters and gradients of the momentum buffer's length " + velocity.length()
                    + "; got " + p.dataType() + "[" + p.length() + "] and " + g.dataType() + "[" + g.length() + "]");
        }
        // batch-norm running statistics: DL4J's "gradient" is the moving-average step itself
        for (Span s : spans.statistics()) {
            p.get(NDArrayIndex.interval(s.from(), s.to())).subi(g.get(NDArrayIndex.interval(s.from(), s.to())));
        }
        for (Span s : untrained) {
            g.get(NDArrayIndex.interval(s.from(), s.to())).assign(0);
        }
        double norm = g.norm2Number().doubleValue();
        double clip = gradClip > 0 && norm > gradClip ? gradClip / (norm + 1e-6) : 1;
        Update u = new Update(p, g, velocity, clip, weightDecay, momentum, lr);
        for (Span s : spans.trained()) {
            LongStream.range(0, (s.length() + CHUNK - 1) / CHUNK).parallel()
                    .forEach(c -> u.apply((int) (s.from() + c * CHUNK), (int) Math.min(s.to(), s.from() + (c + 1) * CHUNK)));
        }
        return norm;
    }

    /** The element-wise update over NIO views of the float arrays' buffers (no copies). */
    private record Update(FloatBuffer p, FloatBuffer g, FloatBuffer v, float clip, float decay, float momentum, float lr) {
        Update(INDArray p, INDArray g, INDArray v, double clip, double decay, double momentum, double lr) {
            this(floats(p), floats(g), floats(v), (float) clip, (float) decay, (float) momentum, (float) lr);
        }

        private static FloatBuffer floats(INDArray a) {
            return a.data().asNioFloat().position((int) a.offset()).slice();
        }

        void apply(int from, int to) {
            for (int i = from; i < to; i++) {
                float w = p.get(i);
                float gi = g.get(i) * clip + w * decay;
                float vi = v.get(i) * momentum + gi;
                v.put(i, vi);
                p.put(i, w - vi * lr);
            }
        }
    }
}
