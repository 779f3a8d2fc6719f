package io.ranksort4j.core.loss.rank;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random ranking problems with the hard cases: score ties, IoU ties, ±δ breakpoints, ±1e3, the −4.6 prior. */
final class RankingCases {
    /** One problem: logits, targets and δ. */
    record Case(double[] logits, double[] targets, double delta) {
        @Override
        public String toString() {
            return "delta=" + delta + " logits=" + java.util.Arrays.toString(logits) + " targets=" + java.util.Arrays.toString(targets);
        }
    }

    private RankingCases() {}

    static Arbitrary<Double> logit(double delta) {
        return Arbitraries.oneOf(
                Arbitraries.of(-4.6, -4.6, 0.0, delta, -delta, 2 * delta, 1e3, -1e3, 0.25, -0.25),
                Arbitraries.doubles().between(-6, 6),
                Arbitraries.doubles().between(-4.7, -4.5),
                Arbitraries.integers().between(-8, 8).map(i -> i * Math.max(delta, 0.25) / 2));
    }

    static Arbitrary<Double> iouTarget() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.just(0.0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(-1.0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(0.5, 0.7, 0.9, 1.0)),
                net.jqwik.api.Tuple.of(2, Arbitraries.doubles().between(0.01, 1.0)));
    }

    static Arbitrary<Case> cases(Arbitrary<Double> targets) {
        return Arbitraries.of(0.0, 0.25, 0.5, 1.0).flatMap(delta -> Arbitraries.integers().between(1, 60).flatMap(n ->
                Combinators.combine(logit(delta).array(double[].class).ofSize(n), targets.array(double[].class).ofSize(n))
                        .as((l, t) -> new Case(l, t, delta))));
    }
}
