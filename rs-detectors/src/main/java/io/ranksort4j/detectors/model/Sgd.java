package io.ranksort4j.detectors.model;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's SGD with momentum and coupled weight decay over a graph's flat parameter vector
 * (v ← μv + g + λw; w ← w − lr·v), with optional global-norm gradient clipping as torch's clip_grad_norm_.
 * DL4J has only Nesterov momentum, and its per-layer updater cannot clip by the global norm.
 */
public final class Sgd {
    private final double momentum;
    private final double weightDecay;
    private final double gradClip;
    private final TrainableParams masks;
    private final INDArray velocity;
    // one scratch vector: the step allocates nothing, so off-heap memory does not pile up between GCs
    private final INDArray scratch;

    public Sgd(double momentum, double weightDecay, double gradClip, TrainableParams masks, long numParams) {
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.gradClip = gradClip;
        this.masks = masks;
        this.velocity = Nd4j.zeros(masks.trained().dataType(), numParams);
        this.scratch = Nd4j.zeros(masks.trained().dataType(), numParams);
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
        // batch-norm running statistics: DL4J's "gradient" is the moving-average step itself
        params.subi(scratch.assign(grad).muli(masks.statistics()));
        INDArray g = grad.muli(masks.trained());
        double norm = g.norm2Number().doubleValue();
        if (gradClip > 0 && norm > gradClip) {
            g.muli(gradClip / (norm + 1e-6));
        }
        if (weightDecay > 0) {
            g.addi(scratch.assign(params).muli(masks.trained()).muli(weightDecay));
        }
        velocity.muli(momentum).addi(g);
        params.subi(scratch.assign(velocity).muli(lr));
        return norm;
    }
}
