package io.ranksort4j.core.run;

/**
 * State a training component carries from one iteration to the next (aLRP's self-balance weight and its running
 * sums, ...): what a checkpoint must hold so that a resumed run continues as if it had never stopped, and the epoch
 * boundary, for state that changes once per epoch. Components whose output depends only on the iteration, the seed
 * and the batch need none of this.
 */
public interface TrainingState {
    /** The state as numbers, restored by {@link #restore} into a freshly built component. */
    double[] save();

    /** Puts back what {@link #save} returned; throws if the numbers are not this component's. */
    void restore(double[] state);

    /** Called once when an epoch of training data is used up, before that iteration's checkpoint is written. */
    default void epochEnd() {}
}
