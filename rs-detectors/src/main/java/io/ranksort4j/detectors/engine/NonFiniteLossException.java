package io.ranksort4j.detectors.engine;

import java.nio.file.Path;
import java.util.Map;

/** Training stopped because a loss term or the gradient became NaN or infinite; names the iteration, the term and the last good checkpoint. */
public final class NonFiniteLossException extends IllegalStateException {
    private final int iteration;
    private final String term;

    NonFiniteLossException(int iteration, String term, double value, Map<String, Double> terms, Path lastGood) {
        super(String.format("iteration %d: %s is %s (%s); training stopped before the step, nothing of it was saved. %s "
                        + "Lower schedule.lr, set schedule.grad_clip or lengthen schedule.warmup_iters, then continue with --resume.",
                iteration, term, value, terms, lastGood == null ? "No checkpoint was written yet." : "The last good checkpoint is " + lastGood + "."));
        this.iteration = iteration;
        this.term = term;
    }

    /** The 1-based iteration that produced the value. */
    public int iteration() {
        return iteration;
    }

    /** The loss term ({@code loss}, {@code loss_bbox}, ...) or {@code grad_norm}. */
    public String term() {
        return term;
    }
}
