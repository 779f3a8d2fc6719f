package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.run.TrainingState;

/**
 * aLRP's self-balance weight on L_loc: starts at {@code initial}; at the end of every period it becomes
 * (mean L_loc + mean L_cls) / mean L_loc over that period. The period is an epoch (as the authors update it) or a
 * fixed number of iterations. Stateful: one instance per training run, saved in checkpoints.
 */
public final class SelfBalance implements TrainingState {
    /** The period that ends with each epoch rather than after a count of iterations. */
    public static final int EPOCH = 0;

    private final double initial;
    private final int period;
    private double weight;
    private double clsSum;
    private double locSum;
    private int count;

    /** {@code period}: iterations between updates, or {@link #EPOCH}. */
    public SelfBalance(double initial, int period) {
        if (period < 0) {
            throw new IllegalArgumentException("self-balance period must be >= 1 iteration or EPOCH, got " + period);
        }
        this.initial = initial;
        this.weight = initial;
        this.period = period;
    }

    public double weight() {
        return weight;
    }

    /** Records one iteration's losses; updates the weight at the end of each period of iterations. */
    public void update(double clsLoss, double locLoss) {
        clsSum += clsLoss;
        locSum += locLoss;
        count++;
        if (count == period) {
            rebalance();
        }
    }

    @Override
    public void epochEnd() {
        if (period == EPOCH && count > 0) {
            rebalance();
        }
    }

    private void rebalance() {
        if (locSum > 0) {
            weight = (locSum + clsSum) / locSum;
        }
        clsSum = 0;
        locSum = 0;
        count = 0;
    }

    /** Weight, the period's partial sums and its count. */
    @Override
    public double[] save() {
        return new double[] {weight, clsSum, locSum, count};
    }

    @Override
    public void restore(double[] state) {
        if (state.length != 4 || state[3] < 0 || state[3] != Math.rint(state[3])) {
            throw new IllegalArgumentException("self-balance state must be [weight, cls_sum, loc_sum, count], got "
                    + java.util.Arrays.toString(state));
        }
        weight = state[0];
        clsSum = state[1];
        locSum = state[2];
        count = (int) state[3];
    }

    @Override
    public String toString() {
        return "SelfBalance[initial=" + initial + ", period=" + (period == EPOCH ? "epoch" : period) + ", weight=" + weight + "]";
    }
}
