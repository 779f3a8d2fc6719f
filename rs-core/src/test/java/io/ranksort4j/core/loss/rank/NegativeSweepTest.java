package io.ranksort4j.core.loss.rank;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class NegativeSweepTest {
    @Provide
    Arbitrary<RankingCases.Case> problems() {
        return RankingCases.cases(RankingCases.iouTarget());
    }

    /** The window cache only skips the second pass's searches; it must not change a single bit. */
    @Property(tries = 300)
    void cachedWindowsGiveBitIdenticalFalsePositivesAndGradients(@ForAll("problems") RankingCases.Case c) {
        Scores s = Scores.of(c.logits());
        Scores t = Scores.of(c.targets());
        int count = 0;
        for (double v : c.targets()) {
            count += v > 0 ? 1 : 0;
        }
        if (count == 0) {
            return;
        }
        PositiveSet ps = new PositiveSet(s, t, count, v -> v > 0, c.delta());
        int m = c.logits().length;
        int[] cache = NegativeSweep.windowCache(ps, m);
        assertThat(cache).isNotNull();
        double[] fCached = NegativeSweep.falsePositives(s, t, ps, cache);
        double[] fPlain = NegativeSweep.falsePositives(s, t, ps, null);
        assertThat(fCached).containsExactly(fPlain);

        double[] w = new double[count];
        for (int i = 0; i < count; i++) {
            w[i] = 1.0 / (i + 1);
        }
        double[] gCached = new double[m];
        double[] gPlain = new double[m];
        NegativeSweep.negativeGradients(s, t, ps, cache, w, (i, v) -> gCached[i] = v, count);
        NegativeSweep.negativeGradients(s, t, ps, null, w, (i, v) -> gPlain[i] = v, count);
        assertThat(gCached).containsExactly(gPlain);
    }
}
