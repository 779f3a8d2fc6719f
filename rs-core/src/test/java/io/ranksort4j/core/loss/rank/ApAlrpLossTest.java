package io.ranksort4j.core.loss.rank;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ApAlrpLossTest {
    @Provide
    Arbitrary<RankingCases.Case> problems() {
        // AP / aLRP: 1 positive, 0 negative, anything else ignored (IoU-valued targets included).
        return RankingCases.cases(Arbitraries.of(0.0, 0.0, 0.0, 1.0, 1.0, -1.0, 0.7)).filter(c -> c.delta() > 0);
    }

    private static double[] regressionLosses(RankingCases.Case c) {
        int p = 0;
        for (double t : c.targets()) {
            if (t == 1) {
                p++;
            }
        }
        double[] e = new double[p];
        for (int i = 0; i < p; i++) {
            e[i] = (Math.abs(c.logits()[i % c.logits().length]) * 7.3 + i) % 2; // GIoU loss range [0, 2]
        }
        return e;
    }

    @Property(tries = 300)
    void apFastEqualsDefinitional(@ForAll("problems") RankingCases.Case c) {
        ApResult ref = new ApReference(c.delta()).compute(c.logits(), c.targets());
        ApResult fast = new ApLoss(c.delta()).compute(c.logits(), c.targets());
        assertThat(fast.numPositives()).isEqualTo(ref.numPositives());
        assertThat(fast.loss()).isCloseTo(ref.loss(), within(1e-12));
        for (int i = 0; i < ref.grad().length; i++) {
            assertThat(fast.grad()[i]).as("grad[%d]", i).isCloseTo(ref.grad()[i], within(1e-12));
        }
    }

    @Property(tries = 300)
    void alrpFastEqualsDefinitional(@ForAll("problems") RankingCases.Case c) {
        double[] e = regressionLosses(c);
        AlrpResult ref = new AlrpReference(c.delta(), 1e-5).compute(c.logits(), c.targets(), e);
        AlrpResult fast = new AlrpLoss(new AlrpParams(c.delta(), 1e-5, 50, "10")).compute(c.logits(), c.targets(), e);
        assertThat(fast.clsLoss()).isCloseTo(ref.clsLoss(), within(1e-12));
        assertThat(fast.locLoss()).isCloseTo(ref.locLoss(), within(1e-12));
        for (int i = 0; i < ref.grad().length; i++) {
            assertThat(fast.grad()[i]).as("grad[%d]", i).isCloseTo(ref.grad()[i], within(1e-12));
        }
        for (int i = 0; i < ref.locGrad().length; i++) {
            assertThat(fast.locGrad()[i]).as("locGrad[%d]", i).isCloseTo(ref.locGrad()[i], within(1e-12));
        }
    }

    @Property(tries = 200)
    void apGradientSumsToZero(@ForAll("problems") RankingCases.Case c) {
        double sum = 0;
        for (double g : new ApLoss(c.delta()).compute(c.logits(), c.targets()).grad()) {
            sum += g;
        }
        assertThat(sum).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void apHandWorkedInterpolation() {
        // s = [3, 0, 1], t = [1, 1, 0], δ = 1. Ascending positives: b (0) then a (3).
        // b: R+ = 1 + H(3-0)=1 → 2; F = H(1-0) = 1 → R = 3, p = 2/3; π = 2/3, w = 1.
        // a: R+ = 1 + H(0-3) = 1; F = H(1-3) = 0 → p = 1 ≥ π → π = 1.
        // loss = 1 - (2/3 + 1)/2 = 1/6; grads /2: b -(1/3)/2, a 0, negative H(1-0)·1/3 /2 = 1/6.
        ApResult r = new ApLoss(1.0).compute(new double[] {3, 0, 1}, new double[] {1, 1, 0});
        assertThat(r.loss()).isCloseTo(1.0 / 6, within(1e-15));
        assertThat(r.grad()[0]).isCloseTo(0.0, within(1e-15));
        assertThat(r.grad()[1]).isCloseTo(-1.0 / 6, within(1e-15));
        assertThat(r.grad()[2]).isCloseTo(1.0 / 6, within(1e-15));
    }

    @Test
    void alrpLocalisationIsTheSortedCumulativeForm() {
        // s = [2, 0], both positive, e = [0.4, 1.0], no negatives, δ = 1: R_a = 1 + H(0-2) = 1, R_b = 1 + H(2) = 2.
        // Descending: a then b. L_loc = (0.4/1 + (0.4+1.0)/2)/2 = 0.55; dL/de_a = (1/1 + 1/2)/2, dL/de_b = (1/2)/2.
        AlrpResult r = new AlrpLoss(new AlrpParams(1, 1e-5, 50, "10")).compute(new double[] {2, 0}, new double[] {1, 1}, new double[] {0.4, 1.0});
        assertThat(r.clsLoss()).isZero();
        assertThat(r.locLoss()).isCloseTo(0.55, within(1e-15));
        assertThat(r.locGrad()).containsExactly(0.75, 0.25);
        assertThat(r.total()).isCloseTo(50 * 0.55, within(1e-12));
    }

    @Test
    void selfBalanceUpdatesOncePerPeriod() {
        SelfBalance sb = new SelfBalance(50, 2);
        sb.update(1.0, 0.5);
        assertThat(sb.weight()).isEqualTo(50);
        sb.update(0.6, 0.3);
        assertThat(sb.weight()).isCloseTo((0.8 + 1.6) / 0.8, within(1e-12));
    }

    @Test
    void selfBalancePerEpochUpdatesAtEachEpochEndOverThatEpoch() {
        SelfBalance sb = new SelfBalance(50, SelfBalance.EPOCH);
        sb.update(1.0, 0.5);
        sb.update(0.6, 0.3);
        sb.update(0.2, 0.2);
        assertThat(sb.weight()).isEqualTo(50);
        sb.epochEnd();
        assertThat(sb.weight()).isCloseTo((1.0 + 1.8) / 1.0, within(1e-12));
        sb.epochEnd();
        assertThat(sb.weight()).as("an epoch without iterations changes nothing").isCloseTo(2.8, within(1e-12));
    }

    @Test
    void selfBalanceStateRestoresIntoAFreshInstanceMidPeriod() {
        SelfBalance a = new SelfBalance(50, 3);
        a.update(1.0, 0.5);
        a.update(0.6, 0.3);
        SelfBalance b = new SelfBalance(50, 3);
        b.restore(a.save());
        a.update(0.2, 0.2);
        b.update(0.2, 0.2);
        assertThat(b.save()).containsExactly(a.save());
        assertThat(b.weight()).isNotEqualTo(50);
        assertThatThrownBy(() -> b.restore(new double[] {1, 2})).hasMessageContaining("[weight, cls_sum, loc_sum, count]");
    }

    @Test
    void sbPeriodIsAnEpochOrAWholeNumberOfIterations() {
        assertThat(new AlrpParams(1, 1e-5, 50, "epoch").sbPeriodIterations()).isEqualTo(SelfBalance.EPOCH);
        assertThat(new AlrpParams(1, 1e-5, 50, "3665").sbPeriodIterations()).isEqualTo(3665);
        assertThatThrownBy(() -> new AlrpParams(1, 1e-5, 50, "0")).hasMessageContaining("'epoch' or a whole number of iterations >= 1");
    }

    @Test
    void alrpNeedsOneRegressionLossPerPositive() {
        assertThatThrownBy(() -> new AlrpLoss(new AlrpParams(1, 1e-5, 50, "10")).compute(new double[] {1, 2}, new double[] {1, 1}, new double[] {0.3}))
                .hasMessageContaining("1 regression losses for 2 positives");
    }
}
