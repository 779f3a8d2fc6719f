package io.ranksort4j.data.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.TinyCoco;
import io.ranksort4j.data.sampler.RandomSampler;
import io.ranksort4j.data.sampler.RepeatFactorSampler;
import io.ranksort4j.data.sampler.SequentialSampler;
import io.ranksort4j.data.synth.SynthDataset;
import io.ranksort4j.data.synth.SynthParams;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.data.transform.Pipeline;
import io.ranksort4j.data.transform.TransformParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class DataLoaderTest {
    @TempDir
    static Path dir;
    static Dataset synth;

    @BeforeAll
    static void generate() {
        SynthDataset.Layout l = SynthDataset.ensure(dir.resolve("synth"), SynthParams.defaults().withImages(24, 4));
        synth = CocoReader.read(l.trainAnnotations()).withImageRoot(l.trainImages());
    }

    private static TransformParams multiScaleFlip() {
        return TransformParams.train(320, 320).withScales(List.of(List.of(320, 320), List.of(256, 256), List.of(288, 288)),
                TransformParams.MultiScale.VALUE);
    }

    private static List<String> run(DataLoader loader, int epoch) {
        List<String> out = new ArrayList<>();
        try (DataLoader.BatchIterator it = loader.epoch(epoch)) {
            while (it.hasNext()) {
                out.add(describe(it.next()));
            }
        }
        return out;
    }

    private static String describe(Batch b) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            ImageMeta m = b.metas().get(i);
            sb.append(m.imageId()).append(m.flipped() ? "F" : "").append('@').append(m.width()).append('x').append(m.height())
                    .append(Arrays.toString(b.targets().get(i).boxes())).append(';');
        }
        sb.append(Arrays.toString(b.images().shape())).append(" sum=").append(b.images().sumNumber().doubleValue());
        return sb.toString();
    }

    @Test
    void theSameSeedGivesTheSameBatchesWhateverTheWorkerCount() {
        List<List<String>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 2, 4}) {
            DataLoader l = new DataLoader(synth, new RandomSampler(), new Pipeline(multiScaleFlip()), LoaderParams.of(3, workers, 11));
            runs.add(run(l, 1));
        }
        assertThat(runs.get(0)).hasSize(8);
        assertThat(runs).allSatisfy(r -> assertThat(r).isEqualTo(runs.get(0)));
        DataLoader other = new DataLoader(synth, new RandomSampler(), new Pipeline(multiScaleFlip()), LoaderParams.of(3, 2, 11));
        assertThat(run(other, 2)).isNotEqualTo(runs.get(0));
        assertThat(runs.get(0).toString()).contains("F@");
    }

    @Test
    void resumingMidEpochGivesTheSameRemainingBatches() {
        DataLoader l = new DataLoader(synth, new RandomSampler(), new Pipeline(multiScaleFlip()), LoaderParams.of(3, 2, 11));
        List<String> full = run(l, 4);
        List<String> rest = new ArrayList<>();
        try (DataLoader.BatchIterator it = l.epoch(4, 5)) {
            while (it.hasNext()) {
                Batch b = it.next();
                assertThat(b.index()).isEqualTo(5 + rest.size());
                rest.add(describe(b));
            }
        }
        assertThat(rest).isEqualTo(full.subList(5, full.size()));
    }

    @Test
    void batchesArePaddedToMultiplesOf32AndCarryBoxesInTheResizedFrame() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn()).withImageRoot(TinyCoco.trainImages()).filterEmptyGt().head(6);
        DataLoader l = new DataLoader(d, new SequentialSampler(), new Pipeline(TransformParams.test(1333, 800)),
                LoaderParams.of(2, 2, 0).withGroupByAspect(false));
        try (DataLoader.BatchIterator it = l.epoch(0)) {
            Batch b = it.next();
            long[] shape = b.images().shape();
            assertThat(shape[0]).isEqualTo(2);
            assertThat(shape[1]).isEqualTo(3);
            assertThat(shape[2] % 32).isZero();
            assertThat(shape[3] % 32).isZero();
            ImageMeta m = b.metas().get(0);
            assertThat(Math.max(m.width(), m.height())).isLessThanOrEqualTo(1333);
            assertThat(Math.min(m.width(), m.height())).isLessThanOrEqualTo(800);
            assertThat(m.padWidth()).isEqualTo((int) shape[3]);
            assertThat(b.boxes(0).rows()).isEqualTo(b.labels(0).length);
            assertThat(b.boxes(0).getFloat(0, 2)).isLessThanOrEqualTo(m.width());
            // Padding is zero after normalisation.
            if (m.width() < shape[3]) {
                assertThat(b.images().getFloat(0, 0, 0, (long) shape[3] - 1)).isZero();
            }
        }
    }

    @Test
    void masksComeAlignedWithBoxesAndPaddedLikeTheImages() {
        DataLoader l = new DataLoader(synth, new SequentialSampler(), new Pipeline(TransformParams.train(300, 300).withMasks(true)),
                LoaderParams.of(2, 1, 4));
        try (DataLoader.BatchIterator it = l.epoch(0)) {
            Batch b = it.next();
            org.nd4j.linalg.api.ndarray.INDArray m = b.masks(0);
            long[] s = b.images().shape();
            assertThat(m.shape()).containsExactly(b.labels(0).length, s[2], s[3]);
            for (int k = 0; k < b.labels(0).length; k++) {
                // Every mask pixel lies inside its box (up to a pixel of rasterisation).
                float[] box = b.boxes(0).getRow(k).toFloatVector();
                org.nd4j.linalg.api.ndarray.INDArray mk = m.get(org.nd4j.linalg.indexing.NDArrayIndex.point(k));
                double inside = mk.get(org.nd4j.linalg.indexing.NDArrayIndex.interval((long) Math.max(0, box[1] - 1), (long) Math.min(s[2], box[3] + 2)),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval((long) Math.max(0, box[0] - 1), (long) Math.min(s[3], box[2] + 2))).sumNumber().doubleValue();
                assertThat(inside).isEqualTo(mk.sumNumber().doubleValue()).isPositive();
            }
        }
    }

    @Test
    void aMissingImageIsAClearErrorNotAHang() throws Exception {
        Path copy = copyWithout(2);
        Dataset d = CocoReader.read(copy.resolve("annotations/instances_train.json")).withImageRoot(copy.resolve("train"));
        DataLoader l = new DataLoader(d, new SequentialSampler(), new Pipeline(TransformParams.test(320, 320)), LoaderParams.of(2, 2, 0));
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> run(l, 0)).isInstanceOf(LoaderException.class)
                        .hasMessageContaining("image 3").hasMessageContaining("000000000003.jpg").hasMessageContaining("file not found"));
    }

    @Test
    void badImagesCanBeSkippedAndCounted() throws Exception {
        Path copy = copyWithout(2);
        Files.writeString(copy.resolve("train/000000000005.jpg"), "not a jpeg");
        Dataset d = CocoReader.read(copy.resolve("annotations/instances_train.json")).withImageRoot(copy.resolve("train"));
        DataLoader l = new DataLoader(d, new SequentialSampler(), new Pipeline(TransformParams.test(320, 320)),
                LoaderParams.of(2, 2, 0).withSkipBadImages(true));
        int images = 0;
        try (DataLoader.BatchIterator it = l.epoch(0)) {
            while (it.hasNext()) {
                images += it.next().size();
            }
        }
        assertThat(images).isEqualTo(d.size() - 2);
        assertThat(l.skippedImages()).isEqualTo(2);
    }

    @Test
    void shardsOfAnEpochSplitItsImagesBetweenRanks() {
        List<Long> all = new ArrayList<>();
        for (int rank = 0; rank < 2; rank++) {
            DataLoader l = new DataLoader(synth, new RandomSampler(), new Pipeline(TransformParams.test(320, 320)),
                    LoaderParams.of(4, 0, 3).withShard(rank, 2));
            for (int[] b : l.plan(0)) {
                for (int i : b) {
                    all.add(synth.image(i).id());
                }
            }
        }
        assertThat(all).hasSize(24).doesNotHaveDuplicates();
    }

    @Test
    void repeatFactorSamplingFeedsTheLoader() {
        DataLoader l = new DataLoader(synth, new RepeatFactorSampler(new RepeatFactorSampler.Params(0.9, RepeatFactorSampler.Mode.CEIL, true, true)),
                new Pipeline(TransformParams.test(320, 320)), LoaderParams.of(4, 0, 3));
        int planned = l.plan(0).stream().mapToInt(b -> b.length).sum();
        assertThat(planned).isGreaterThan(synth.size());
    }

    @Test
    void endlessIterationRunsAcrossEpochsInOrder() {
        DataLoader l = new DataLoader(synth, new RandomSampler(), new Pipeline(TransformParams.test(320, 320)), LoaderParams.of(10, 1, 5));
        List<Integer> epochs = new ArrayList<>();
        try (DataLoader.Endless it = l.endless(3)) {
            for (int i = 0; i < 7; i++) {
                epochs.add(it.next().epoch());
            }
        }
        // 24 images in batches of 10 (grouped by aspect, all square): 3 batches per epoch.
        assertThat(epochs).containsExactly(3, 3, 3, 4, 4, 4, 5);
    }

    private static Path copyWithout(int imageIndex) throws Exception {
        Path src = dir.resolve("synth");
        Path dst = Files.createTempDirectory(dir, "copy");
        Files.createDirectories(dst.resolve("annotations"));
        Files.copy(src.resolve("annotations/instances_train.json"), dst.resolve("annotations/instances_train.json"));
        Files.createDirectories(dst.resolve("train"));
        try (var s = Files.list(src.resolve("train"))) {
            for (Path f : s.toList()) {
                if (!f.getFileName().toString().equals(String.format("%012d.jpg", imageIndex + 1))) {
                    Files.copy(f, dst.resolve("train").resolve(f.getFileName()));
                }
            }
        }
        return dst;
    }
}
