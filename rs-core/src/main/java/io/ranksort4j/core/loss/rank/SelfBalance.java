package io.ranksort4j.core.loss.rank;

/**
 * aLRP's self-balance weight on L_loc: starts at {@code initial}; every {@code period} iterations it becomes
 * (mean L_loc + mean L_cls) / mean L_loc over that period. Stateful: one instance per training run.
 */
public final class SelfBalance {
    private final int period;
    private double weight;
    private double clsSum;
    private double locSum;
    private int count;

    public SelfBalance(double initial, int period) {
        this.weight = initial;
        this.period = period;
    }

    public double weight() {
        return weight;
    }

    /** Records one iteration's losses; updates the weight at the end of each period. */
    public void update(double clsLoss, double locLoss) {
        clsSum += clsLoss;
        locSum += locLoss;
        count++;
        if (count == period) {
            if (locSum > 0) {
                weight = (locSum + clsSum) / locSum;
            }
            clsSum = 0;
            locSum = 0;
            count = 0;
        }
    }

    /** State for checkpoints: weight, partial sums and count. */
    public double[] state() {
        return new double[] {weight, clsSum, locSum, count};
    }

    public void restore(double[] state) {
        weight = state[0];
        clsSum = state[1];
        locSum = state[2];
        count = (int) state[3];
    }
}
