package io.ranksort4j.data.sampler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.Category;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ImageInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RepeatFactorsTest {
    // 10 images; category 0 in all 10, category 1 in 2, category 2 in 1; image 9 has no category.
    static final int[][] LABELS = {{0}, {0}, {0, 1}, {0, 1, 2}, {0}, {0}, {0}, {0}, {0}, {}};

    @Test
    void categoryFactorsMatchHandComputedValues() {
        // f = 0.9, 0.2, 0.1; t = 0.4: sqrt(0.4/0.9) < 1 → 1; sqrt(0.4/0.2) = √2; sqrt(0.4/0.1) = 2.
        double[] r = RepeatFactors.categoryFactors(LABELS, 3, 0.4, true);
        assertThat(r[0]).isEqualTo(1.0);
        assertThat(r[1]).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(r[2]).isCloseTo(2.0, within(1e-12));
        double[] noSqrt = RepeatFactors.categoryFactors(LABELS, 3, 0.4, false);
        assertThat(noSqrt[1]).isCloseTo(2.0, within(1e-12));
        assertThat(noSqrt[2]).isCloseTo(4.0, within(1e-12));
    }

    @Test
    void imageFactorIsTheMaxOverItsCategoriesAndOneWithoutAny() {
        double[] r = RepeatFactors.imageFactors(LABELS, 3, 0.4, true);
        assertThat(r[0]).isEqualTo(1.0);
        assertThat(r[2]).isCloseTo(Math.sqrt(2), within(1e-12));
        assertThat(r[3]).isCloseTo(2.0, within(1e-12));
        assertThat(r[9]).isEqualTo(1.0);
    }

    @Test
    void ceilModeRepeatsEachImageCeilOfItsFactorTimes() {
        int[] idx = RepeatFactorSampler.ceilIndices(new double[] {1.0, 1.2, 2.0, 2.5});
        assertThat(idx).containsExactly(0, 1, 1, 2, 2, 3, 3, 3);
    }

    @Test
    void ceilModeSamplerHasFixedLengthAndShufflesPerEpoch() {
        Dataset d = dataset(LABELS);
        RepeatFactorSampler s = new RepeatFactorSampler(new RepeatFactorSampler.Params(0.4, RepeatFactorSampler.Mode.CEIL, true, true));
        int[] e0 = s.indices(d, 1, 0);
        int[] e1 = s.indices(d, 1, 1);
        // ceil: 1,1,2 (√2),2,1,1,1,1,1,1 → 12
        assertThat(e0).hasSize(12);
        assertThat(e1).hasSize(12);
        assertThat(sorted(e0)).isEqualTo(sorted(e1)).isEqualTo(new int[] {0, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9});
        assertThat(e0).isNotEqualTo(e1);
        assertThat(s.indices(d, 1, 0)).isEqualTo(e0);
    }

    @Test
    void stochasticModeHasTheExpectedEpochLengthOnAverage() {
        double[] r = {1.0, 1.25, 2.5, 3.0, 1.9};
        double expected = Arrays.stream(r).sum();
        SplittableRandom rnd = new SplittableRandom(3);
        int epochs = 20000;
        long total = 0;
        long[] perImage = new long[r.length];
        for (int e = 0; e < epochs; e++) {
            int[] idx = RepeatFactorSampler.stochasticIndices(r, rnd);
            total += idx.length;
            for (int i : idx) {
                perImage[i]++;
            }
            assertThat(idx.length).isBetween(1 + 1 + 2 + 3 + 1, 1 + 2 + 3 + 3 + 2);
        }
        assertThat((double) total / epochs).isCloseTo(expected, within(0.02));
        for (int i = 0; i < r.length; i++) {
            assertThat((double) perImage[i] / epochs).isCloseTo(r[i], within(0.02));
        }
    }

    @Test
    void stochasticSamplerIsSeededPerEpoch() {
        Dataset d = dataset(LABELS);
        RepeatFactorSampler s = new RepeatFactorSampler(new RepeatFactorSampler.Params(0.4, RepeatFactorSampler.Mode.STOCHASTIC, true, true));
        assertThat(s.indices(d, 5, 2)).isEqualTo(s.indices(d, 5, 2));
        assertThat(s.indices(d, 5, 2)).isNotEqualTo(s.indices(d, 5, 3));
        assertThat(s.indices(d, 5, 2).length).isBetween(11, 13);
    }

    @Test
    void randomSamplerPermutesAndSequentialKeepsOrder() {
        Dataset d = dataset(LABELS);
        assertThat(new SequentialSampler().indices(d, 0, 0)).containsExactly(IntStream.range(0, 10).toArray());
        int[] r = new RandomSampler().indices(d, 9, 0);
        assertThat(sorted(r)).containsExactly(IntStream.range(0, 10).toArray());
        assertThat(r).isNotEqualTo(new RandomSampler().indices(d, 9, 1));
    }

    @Test
    void shardsAreDisjointEqualSizedAndCoverTheEpoch() {
        int[] order = IntStream.range(0, 10).toArray();
        int[] a = Batching.shard(order, 0, 3);
        int[] b = Batching.shard(order, 1, 3);
        int[] c = Batching.shard(order, 2, 3);
        assertThat(a).containsExactly(0, 3, 6, 9);
        assertThat(b).containsExactly(1, 4, 7, 0);
        assertThat(c).containsExactly(2, 5, 8, 1);
    }

    @Test
    void aspectGroupingNeverMixesLandscapeAndPortrait() {
        List<ImageInfo> ims = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            ims.add(i % 3 == 0 ? new ImageInfo(i + 1, "p", 50, 80) : new ImageInfo(i + 1, "l", 80, 50));
        }
        Dataset d = Dataset.of(ims, List.of(new Category(1, "a", null)), List.of());
        List<int[]> bs = Batching.batches(IntStream.range(0, 11).toArray(), d, 2, true, false);
        assertThat(bs.stream().mapToInt(b -> b.length).sum()).isEqualTo(11);
        for (int[] b : bs) {
            assertThat(Arrays.stream(b).map(i -> ims.get(i).width() > ims.get(i).height() ? 1 : 0).distinct().count()).isEqualTo(1);
        }
        assertThat(Batching.batches(IntStream.range(0, 11).toArray(), d, 2, true, true)).allMatch(b -> b.length == 2);
    }

    static Dataset dataset(int[][] labels) {
        List<ImageInfo> ims = new ArrayList<>();
        List<Annotation> anns = new ArrayList<>();
        long id = 1;
        for (int i = 0; i < labels.length; i++) {
            ims.add(new ImageInfo(i + 1, i + ".jpg", 100, 100));
            for (int l : labels[i]) {
                anns.add(new Annotation(id++, i + 1, l + 1, 0, 0, 10, 10, 100, false, null));
            }
        }
        return Dataset.of(ims, List.of(new Category(1, "a", null), new Category(2, "b", null), new Category(3, "c", null)), anns);
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }
}
