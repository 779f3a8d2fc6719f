package io.ranksort4j.detectors.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RandomSamplerTest {
    /** 10 positives, 20 ignored, 100 negatives, interleaved. */
    private static int[] codes() {
        int[] g = new int[130];
        for (int i = 0; i < g.length; i++) {
            g[i] = i % 13 == 0 ? 1 + i % 3 : i % 13 < 3 ? Assignment.IGNORE : Assignment.BACKGROUND;
        }
        return g;
    }

    @Test
    void takesAtMostItsShareOfPositivesAndFillsUpWithNegatives() {
        int[] g = codes();
        RandomSampler.Sample s = new RandomSampler(32, 0.25).sample(g, new Random(1));
        assertThat(s.positives()).hasSize(8);
        assertThat(s.negatives()).hasSize(24);
        assertThat(s.positives()).isSorted();
        assertThat(s.negatives()).isSorted().doesNotHaveDuplicates();
        assertThat(Arrays.stream(s.positives())).allMatch(i -> g[i] > 0);
        assertThat(Arrays.stream(s.negatives())).allMatch(i -> g[i] == Assignment.BACKGROUND);
    }

    @Test
    void fewPositivesLeaveTheirPlacesToNegativesAndSmallPoolsAreTakenWhole() {
        int[] g = codes();
        RandomSampler.Sample s = new RandomSampler(64, 0.5).sample(g, new Random(2));
        assertThat(s.positives()).hasSize(10); // all of them, fewer than 32
        assertThat(s.negatives()).hasSize(54);
        RandomSampler.Sample all = new RandomSampler(1000, 0.25).sample(g, new Random(3));
        assertThat(all.size()).isEqualTo(110); // every candidate but the ignored ones
    }

    @Test
    void everyCandidateIsEquallyLikely() {
        int[] g = codes();
        int[] hits = new int[g.length];
        RandomSampler sampler = new RandomSampler(20, 0.25);
        Random rnd = new Random(4);
        int draws = 20000;
        for (int d = 0; d < draws; d++) {
            for (int i : sampler.sample(g, rnd).negatives()) {
                hits[i]++;
            }
        }
        // 15 of 100 negatives per draw: each expected 3000 times, binomial sd ≈ 50
        for (int i = 0; i < g.length; i++) {
            if (g[i] == Assignment.BACKGROUND) {
                assertThat(hits[i]).as("negative %d", i).isBetween(2750, 3250);
            }
        }
    }

    @Test
    void theSameSeedDrawsTheSameSample() {
        int[] g = codes();
        Set<String> distinct = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            RandomSampler.Sample a = new RandomSampler(16, 0.25).sample(g, new Random(seed));
            RandomSampler.Sample b = new RandomSampler(16, 0.25).sample(g, new Random(seed));
            assertThat(a.negatives()).isEqualTo(b.negatives());
            distinct.add(Arrays.toString(a.negatives()));
        }
        assertThat(distinct).hasSizeGreaterThan(1);
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new RandomSampler(0, 0.5)).hasMessageContaining("num must be ≥ 1");
        assertThatThrownBy(() -> new RandomSampler(8, 0)).hasMessageContaining("pos_fraction");
    }
}
