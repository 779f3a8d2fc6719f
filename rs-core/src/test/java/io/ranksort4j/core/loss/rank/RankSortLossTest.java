package io.ranksort4j.core.loss.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.core.loss.ClassificationLossResult;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RankSortLossTest {
    @Provide
    Arbitrary<RankingCases.Case> problems() {
        return RankingCases.cases(RankingCases.iouTarget());
    }

    @Property(tries = 400)
    void fastEqualsDefinitionalInDoublePrecision(@ForAll("problems") RankingCases.Case c) {
        RankSortResult ref = new RankSortReference(c.delta(), 1e-10).compute(c.logits(), c.targets());
        RankSortResult fast = new RankSortLoss(c.delta(), 1e-10).compute(c.logits(), c.targets());
        assertThat(fast.numPositives()).isEqualTo(ref.numPositives());
        assertThat(fast.rankingLoss()).isCloseTo(ref.rankingLoss(), within(1e-12));
        assertThat(fast.sortingLoss()).isCloseTo(ref.sortingLoss(), within(1e-12));
        for (int i = 0; i < ref.grad().length; i++) {
            assertThat(fast.grad()[i]).as("grad[%d]", i).isCloseTo(ref.grad()[i], within(1e-12));
        }
    }

    @Property(tries = 100)
    void floatEntryPointAgreesWithinFloatRounding(@ForAll("problems") RankingCases.Case c) {
        float[] l = new float[c.logits().length];
        float[] t = new float[l.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) c.logits()[i];
            t[i] = (float) c.targets()[i];
        }
        double[] ld = new double[l.length];
        double[] td = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            ld[i] = l[i];
            td[i] = t[i];
        }
        RankSortResult ref = new RankSortReference(c.delta(), 1e-10).compute(ld, td);
        ClassificationLossResult fast = new RankSortLoss(c.delta(), 1e-10).compute(l, t);
        assertThat(fast.loss()).isCloseTo(ref.loss(), within(1e-5 * Math.max(1, Math.abs(ref.loss()))));
        for (int i = 0; i < l.length; i++) {
            assertThat((double) fast.grad()[i]).isCloseTo(ref.grad()[i], within(1e-5 * Math.max(1e-2, Math.abs(ref.grad()[i]))));
        }
    }

    @Property(tries = 200)
    void gradientsSumToZeroWhenEveryPositiveCarriesError(@ForAll("problems") RankingCases.Case c) {
        RankSortResult r = new RankSortLoss(c.delta(), 1e-10).compute(c.logits(), c.targets());
        double sum = 0;
        for (double g : r.grad()) {
            sum += g;
        }
        // Per positive the pushes cancel (docs/losses.md §3), so the whole gradient sums to zero.
        assertThat(sum).isCloseTo(0.0, within(1e-9));
        // non-negative up to rounding: C − C* sums terms of size ~1 per positive, so allow a few ulps of that
        assertThat(r.sortingLoss()).isGreaterThanOrEqualTo(-1e-12);
    }

    @Test
    void aLoneTopPositiveWithOneTiedNegativeHasRankingErrorOneHalf() {
        // The note's §2: R+ includes the self term H(0) = 1/2, so lR = 1/2 / (1/2 + 1/2).
        RankSortResult r = new RankSortLoss(0.5, 1e-10).compute(new double[] {1.0, 1.0}, new double[] {0.8, 0.0});
        assertThat(r.rankingLoss()).isEqualTo(0.5);
        assertThat(r.sortingLoss()).isEqualTo(0.0);
        assertThat(r.grad()).containsExactly(-0.5, 0.5);
    }

    @Test
    void handWorkedTwoPositivesOneNegative() {
        // s = [2, 1, 1.5], y = [0.6, 0.9, 0], δ = 0.5.
        // Positive a (s=2): H(1-2)=0, H(0)=.5 → R+ = .5, F = H(1.5-2) = 0 → lR = 0.
        //   C = .5*.4/.5 = .4; target set y ≥ .6: {a (.5), b (H(-1)=0)} → C* = .4; lS = 0; D = 0.
        // Positive b (s=1): R+ = H(1)=1 (a) + .5 (self) = 1.5; F = H(.5) = 1 → R = 2.5, lR = .4.
        //   C = (1*.4 + .5*.1)/1.5 = .3; target set y ≥ .9: self only → C* = .1; lS = .2; D = H(a over b) = 1.
        // L_R = .2, L_S = .1; grads /2: a gets +lS_b*H/D = .2 → .1; b gets -.4-.2 → -.3; negative gets H/R_b = .4 → .2.
        RankSortResult r = new RankSortLoss(0.5, 1e-10).compute(new double[] {2, 1, 1.5}, new double[] {0.6, 0.9, 0});
        assertThat(r.rankingLoss()).isCloseTo(0.2, within(1e-15));
        assertThat(r.sortingLoss()).isCloseTo(0.1, within(1e-15));
        assertThat(r.grad()[0]).isCloseTo(0.1, within(1e-15));
        assertThat(r.grad()[1]).isCloseTo(-0.3, within(1e-15));
        assertThat(r.grad()[2]).isCloseTo(0.2, within(1e-15));
    }

    @Test
    void noPositivesGivesZeroLossZeroGradientAndTheFlag() {
        ClassificationLossResult r = new RankSortLoss(0.5, 1e-10).compute(new float[] {0.3f, -2f, 5f}, new float[] {0, 0, -1});
        assertThat(r.noPositives()).isTrue();
        assertThat(r.loss()).isZero();
        assertThat(r.grad()).containsOnly(0f);
    }

    @Test
    void nonFiniteLogitsAreNamedWithTheirIndex() {
        assertThatThrownBy(() -> new RankSortLoss(0.5, 1e-10).compute(new float[] {0f, Float.NaN, Float.POSITIVE_INFINITY}, new float[] {1, 0, 0}))
                .hasMessageContaining("rank_sort").hasMessageContaining("logit 1 is NaN");
    }

    @Test
    void largeBatchesSplitAcrossThreadsGiveTheSameNumbers() {
        Random rnd = new Random(7);
        int m = NegativeSweep.PARALLEL_THRESHOLD * 3;
        double[] s = new double[m];
        double[] t = new double[m];
        for (int i = 0; i < m; i++) {
            s[i] = -4.6 + 0.3 * rnd.nextGaussian();
            t[i] = rnd.nextInt(1000) == 0 ? 0.3 + 0.7 * rnd.nextDouble() : (rnd.nextInt(50) == 0 ? -1 : 0);
        }
        RankSortResult fast = new RankSortLoss(0.5, 1e-10).compute(s, t);
        RankSortResult ref = new RankSortReference(0.5, 1e-10).compute(s, t);
        assertThat(fast.rankingLoss()).isCloseTo(ref.rankingLoss(), within(1e-12));
        assertThat(fast.sortingLoss()).isCloseTo(ref.sortingLoss(), within(1e-12));
        for (int i = 0; i < m; i++) {
            assertThat(fast.grad()[i]).isCloseTo(ref.grad()[i], within(1e-12));
        }
    }
}
