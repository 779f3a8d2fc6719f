package io.ranksort4j.detectors.engine;

/**
 * The learning rate at each iteration, with mmdetection's semantics: linear warm-up from
 * {@code lr · warmup_ratio} applied on top of the step or cosine value.
 */
public final class LrSchedule {
    private final ScheduleParams p;
    private final int itersPerEpoch;

    public LrSchedule(ScheduleParams p, int itersPerEpoch) {
        if (itersPerEpoch <= 0) {
            throw new IllegalArgumentException("an epoch must have at least one iteration");
        }
        this.p = p;
        this.itersPerEpoch = itersPerEpoch;
    }

    /** Total iterations of the run. */
    public int maxIters() {
        return p.iterationBased() ? p.maxIters() : p.maxEpochs() * itersPerEpoch;
    }

    /** Learning rate for the 0-based iteration {@code iter}. */
    public double lr(int iter) {
        double regular = regular(iter);
        if (p.warmup() == ScheduleParams.Warmup.LINEAR && iter < p.warmupIters()) {
            double k = (1 - (double) iter / p.warmupIters()) * (1 - p.warmupRatio());
            return regular * (1 - k);
        }
        return regular;
    }

    private double regular(int iter) {
        // Epoch-based runs step at epoch boundaries (as mmdetection's by_epoch), iteration-based at iterations.
        int progress = p.iterationBased() ? iter : iter / itersPerEpoch;
        int total = p.iterationBased() ? p.maxIters() : p.maxEpochs();
        switch (p.policy()) {
            case FIXED:
                return p.lr();
            case STEP: {
                int passed = 0;
                for (int s : p.steps()) {
                    if (progress >= s) {
                        passed++;
                    }
                }
                return p.lr() * Math.pow(p.gamma(), passed);
            }
            case COSINE: {
                double min = p.lr() * p.minLrRatio();
                return min + (p.lr() - min) * (1 + Math.cos(Math.PI * progress / total)) / 2;
            }
            default:
                throw new IllegalStateException(p.policy().toString());
        }
    }
}
