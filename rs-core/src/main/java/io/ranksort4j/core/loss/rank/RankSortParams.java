package io.ranksort4j.core.loss.rank;

import io.ranksort4j.core.config.Param;

/** Hyper-parameters of the Rank &amp; Sort loss; defaults are the official code's. */
public record RankSortParams(
        @Param(value = "margin of the smoothed step H; <= 0 selects the hard step", def = "0.5", max = 10) double delta,
        @Param(value = "gradient gate on the false-positive and missorted masses", def = "1e-10", min = 0) double eps) {}
