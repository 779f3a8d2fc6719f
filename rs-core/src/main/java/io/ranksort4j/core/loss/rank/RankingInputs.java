package io.ranksort4j.core.loss.rank;

/** Input checks shared by the ranking losses: finite logits, equal lengths, valid targets. */
final class RankingInputs {
    private RankingInputs() {}

    static void check(String loss, Scores logits, Scores targets, boolean iouTargets) {
        if (logits.length() != targets.length()) {
            throw new IllegalArgumentException(loss + ": " + logits.length() + " logits but " + targets.length()
                    + " targets; both must be flattened over the same anchors × classes");
        }
        for (int i = 0; i < logits.length(); i++) {
            if (!Double.isFinite(logits.get(i))) {
                throw new IllegalArgumentException(loss + ": logit " + i + " is " + logits.get(i)
                        + " (the first non-finite one); check the learning rate and the inputs of this batch");
            }
            if (Double.isNaN(targets.get(i)) || (iouTargets && targets.get(i) > 1)) {
                throw new IllegalArgumentException(loss + ": target " + i + " is " + targets.get(i)
                        + "; targets are IoU in (0, 1] for positives, 0 for negatives, < 0 for ignored entries");
            }
        }
    }
}
