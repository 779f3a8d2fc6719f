package io.ranksort4j.core.loss.rank;

/** RS loss in double precision: ranking and sorting parts, the combined gradient and the number of positives. */
public record RankSortResult(double rankingLoss, double sortingLoss, double[] grad, int numPositives) {
    public double loss() {
        return rankingLoss + sortingLoss;
    }
}
