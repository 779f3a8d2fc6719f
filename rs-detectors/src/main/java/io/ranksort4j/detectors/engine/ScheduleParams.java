package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.config.Param;
import java.util.List;

/** The optimiser and learning-rate schedule of a training run: the {@code schedule} section of a config. */
public record ScheduleParams(
        @Param(value = "base learning rate (the paper: 0.008 for 16 images per batch)", def = "0.01", min = 0) double lr,
        @Param(value = "SGD momentum", def = "0.9", min = 0, max = 1) double momentum,
        @Param(value = "L2 weight decay", def = "1e-4", min = 0) double weightDecay,
        @Param(value = "clip the global gradient norm to this value; 0 turns clipping off", def = "35", min = 0) double gradClip,
        @Param(value = "warm-up: linear or none", def = "linear") Warmup warmup,
        @Param(value = "warm-up length in iterations", def = "500", min = 0) int warmupIters,
        @Param(value = "learning rate at the start of warm-up, as a fraction of lr", def = "0.001", min = 0, max = 1) double warmupRatio,
        @Param(value = "decay after warm-up: step, cosine or fixed", def = "step") Policy policy,
        @Param(value = "step policy: epochs (or iterations when max_iters > 0) at which lr is multiplied by gamma", def = "[8, 11]") List<Integer> steps,
        @Param(value = "step policy: decay factor", def = "0.1", min = 0, max = 1) double gamma,
        @Param(value = "cosine policy: final lr as a fraction of lr", def = "0.0", min = 0, max = 1) double minLrRatio,
        @Param(value = "epochs to train (epoch-based loop)", def = "12", min = 0) int maxEpochs,
        @Param(value = "iterations to train; > 0 selects the iteration-based loop", def = "0", min = 0) int maxIters,
        @Param(value = "scale lr (and the warm-up length) to the run's total batch, as mmdetection's auto_scale_lr", def = "{}") AutoScaleLr autoScaleLr) {

    /**
     * mmdetection's {@code auto_scale_lr}: lr and warm-up are given for {@code base_batch_size} images per iteration;
     * a run with B images per iteration trains at lr · B / base (linear scaling rule) and warms up over as many
     * images as the base run, warmup_iters · base / B iterations.
     */
    public record AutoScaleLr(
            @Param(value = "apply the scaling", def = "false") boolean enable,
            @Param(value = "the total batch lr and warmup_iters are written for (the paper: 16)", def = "16", min = 1) int baseBatchSize) {}

    /** Warm-up shapes. */
    public enum Warmup { LINEAR, NONE }

    /** Decay policies. */
    public enum Policy { STEP, COSINE, FIXED }

    public ScheduleParams {
        if (maxEpochs == 0 && maxIters == 0) {
            throw new IllegalArgumentException("set max_epochs or max_iters to a positive number");
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i) <= steps.get(i - 1)) {
                throw new IllegalArgumentException("steps must increase, got " + steps);
            }
        }
    }

    /** The schedule a run with {@code batch} images per iteration trains with: scaled when auto_scale_lr is on. */
    public ScheduleParams forBatch(int batch) {
        if (!autoScaleLr.enable() || batch == autoScaleLr.baseBatchSize()) {
            return this;
        }
        double k = (double) batch / autoScaleLr.baseBatchSize();
        return new ScheduleParams(lr * k, momentum, weightDecay, gradClip, warmup, (int) Math.round(warmupIters / k), warmupRatio, policy, steps,
                gamma, minLrRatio, maxEpochs, maxIters, new AutoScaleLr(false, autoScaleLr.baseBatchSize()));
    }

    /** One line on the lr and warm-up a run with {@code batch} images per iteration uses, and where they came from. */
    public String describeFor(int batch) {
        ScheduleParams s = forBatch(batch);
        if (s == this) {
            return String.format("lr %s, warm-up %d iterations (schedule.lr, schedule.warmup_iters%s)", num(lr), warmupIters,
                    autoScaleLr.enable() ? "; auto_scale_lr: the batch equals base_batch_size" : "; auto_scale_lr off");
        }
        return String.format("lr %s = schedule.lr %s × %d / %d, warm-up %d iterations = %d × %d / %d (schedule.auto_scale_lr, base_batch_size %d)",
                num(s.lr), num(lr), batch, autoScaleLr.baseBatchSize(), s.warmupIters, warmupIters, autoScaleLr.baseBatchSize(), batch,
                autoScaleLr.baseBatchSize());
    }

    private static String num(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    /** True when training counts iterations rather than epochs. */
    public boolean iterationBased() {
        return maxIters > 0;
    }
}
