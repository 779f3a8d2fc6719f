package io.ranksort4j.data.coco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.core.mask.RleString;
import io.ranksort4j.data.lvis.LvisReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoReaderTest {
    @TempDir
    Path dir;

    private static final String IMAGES = "\"images\": [{\"id\": 1, \"file_name\": \"a.jpg\", \"width\": 100, \"height\": 80},"
            + " {\"id\": 2, \"file_name\": \"b.jpg\", \"width\": 50, \"height\": 50}]";
    private static final String CATS = "\"categories\": [{\"id\": 7, \"name\": \"dog\"}, {\"id\": 3, \"name\": \"cat\"}]";

    private Path write(String annotations) throws Exception {
        Path f = dir.resolve("ann.json");
        Files.writeString(f, "{" + IMAGES + ", \"annotations\": [" + annotations + "], " + CATS + "}");
        return f;
    }

    private static String ann(long id, String body) {
        return "{\"id\": " + id + ", " + body + "}";
    }

    private static final String GOOD = "\"image_id\": 1, \"category_id\": 7, \"bbox\": [10, 10, 20, 30], \"area\": 600, \"iscrowd\": 0";

    @Test
    void readsTinyCocoWithAllImagesAnnotationsAndCategories() {
        Dataset d = CocoReader.read(TinyCoco.fullTrainAnn());
        assertThat(d.size()).isEqualTo(50);
        assertThat(d.annotationCount()).isEqualTo(470);
        assertThat(d.numClasses()).isEqualTo(80);
        assertThat(d.flavour()).isEqualTo(Dataset.Flavour.COCO);
        long crowd = d.images().stream().flatMap(im -> d.annotations(im.id()).stream()).filter(Annotation::iscrowd).count();
        assertThat(crowd).isEqualTo(5);
        d.images().stream().flatMap(im -> d.annotations(im.id()).stream()).filter(Annotation::iscrowd)
                .forEach(a -> assertThat(a.segmentation()).isInstanceOf(Segmentation.Rle.class));
        assertThat(d.filterEmptyGt().size()).isEqualTo(49);
        assertThat(d.labelOf(1)).isZero();
        assertThat(d.labelOf(90)).isEqualTo(79);
        assertThat(d.categoryIdOf(79)).isEqualTo(90);
    }

    @Test
    void crowdRleCoversExactlyItsImage() {
        Dataset d = CocoReader.read(TinyCoco.trainAnn());
        d.images().forEach(im -> d.annotations(im.id()).stream().filter(Annotation::iscrowd).forEach(a -> {
            Segmentation.Rle rle = (Segmentation.Rle) a.segmentation();
            assertThat(java.util.Arrays.stream(rle.counts()).asLongStream().sum()).isEqualTo((long) im.width() * im.height());
            assertThat(rle.height()).isEqualTo(im.height());
            assertThat(rle.area()).isPositive();
        }));
    }

    @Test
    void readsTheBundledSubsetWithItsCrowdRegions() {
        Dataset d = CocoReader.read(TinyCoco.subset().resolve("annotations/instances_train2017.json"));
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.annotationCount()).isEqualTo(66);
        assertThat(d.images().stream().flatMap(im -> d.annotations(im.id()).stream()).filter(Annotation::iscrowd).count()).isEqualTo(3);
    }

    @Test
    void labelsFollowAscendingCategoryIdsWhateverTheFileOrder() throws Exception {
        Dataset d = CocoReader.read(write(ann(1, GOOD)));
        assertThat(d.labelOf(3)).isZero();
        assertThat(d.labelOf(7)).isEqualTo(1);
        assertThat(d.annotations(1)).hasSize(1);
    }

    @Test
    void truncatedJsonNamesFileAndPath() throws Exception {
        Path f = dir.resolve("cut.json");
        String full = "{" + IMAGES + ", \"annotations\": [" + ann(1, GOOD) + "], " + CATS + "}";
        Files.writeString(f, full.substring(0, full.indexOf("\"bbox\"") + 12));
        assertThatThrownBy(() -> CocoReader.read(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("$.annotations[0].bbox")
                .hasMessageContaining("expected");
    }

    @Test
    void missingFieldNamesTheAnnotationAndTheField() throws Exception {
        Path f = write(ann(1, GOOD) + "," + ann(2, "\"image_id\": 1, \"category_id\": 7, \"area\": 3"));
        assertThatThrownBy(() -> CocoReader.read(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("$.annotations[1]").hasMessageContaining("field 'bbox'");
    }

    @Test
    void wrongTypeNamesTheValuePathAndTheExpectedType() throws Exception {
        Path f = write(ann(1, "\"image_id\": 1, \"category_id\": \"seven\", \"bbox\": [1, 1, 2, 2], \"area\": 4"));
        assertThatThrownBy(() -> CocoReader.read(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("$.annotations[0].category_id").hasMessageContaining("expected an integer")
                .hasMessageContaining("'seven'");
    }

    @Test
    void shortBboxIsRejected() throws Exception {
        Path f = write(ann(1, "\"image_id\": 1, \"category_id\": 7, \"bbox\": [1, 1, 2], \"area\": 4"));
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$.annotations[0].bbox").hasMessageContaining("4 numbers");
    }

    @Test
    void duplicateAnnotationIdIsAnError() throws Exception {
        Path f = write(ann(5, GOOD) + "," + ann(5, GOOD));
        assertThatThrownBy(() -> CocoReader.read(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("$.annotations[1].id").hasMessageContaining("duplicate id 5");
    }

    @Test
    void duplicateImageIdIsAnError() throws Exception {
        Path f = dir.resolve("dup.json");
        Files.writeString(f, "{\"images\": [{\"id\": 1, \"file_name\": \"a\", \"width\": 1, \"height\": 1}, "
                + "{\"id\": 1, \"file_name\": \"b\", \"width\": 1, \"height\": 1}], \"annotations\": [], " + CATS + "}");
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$.images[1].id").hasMessageContaining("duplicate id 1");
    }

    @Test
    void boxOutsideTheImageIsAnError() throws Exception {
        Path f = write(ann(1, "\"image_id\": 2, \"category_id\": 7, \"bbox\": [40, 10, 20, 30], \"area\": 600"));
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$.annotations[0].bbox")
                .hasMessageContaining("inside the 50×50 image 2");
    }

    @Test
    void unknownCategoryIsAnError() throws Exception {
        Path f = write(ann(1, "\"image_id\": 1, \"category_id\": 99, \"bbox\": [1, 1, 2, 2], \"area\": 4"));
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$.annotations[0].category_id")
                .hasMessageContaining("unknown category id 99");
    }

    @Test
    void unknownImageIsAnError() throws Exception {
        Path f = write(ann(1, "\"image_id\": 42, \"category_id\": 7, \"bbox\": [1, 1, 2, 2], \"area\": 4"));
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$.annotations[0].image_id").hasMessageContaining("unknown image id 42");
    }

    @Test
    void notAnObjectAtTopLevelIsAnError() throws Exception {
        Path f = dir.resolve("arr.json");
        Files.writeString(f, "[1, 2]");
        assertThatThrownBy(() -> CocoReader.read(f)).hasMessageContaining("$").hasMessageContaining("a JSON object");
    }

    @Test
    void lenientModeSkipsAndCountsEveryBadAnnotation() throws Exception {
        Path f = write(String.join(",",
                ann(1, GOOD),
                ann(2, "\"image_id\": 1, \"category_id\": \"x\", \"bbox\": [1, 1, 2, 2], \"segmentation\": [[1,2,3,4,5,6]], \"area\": 4"),
                ann(3, "\"image_id\": 1, \"category_id\": 7, \"area\": 4"),
                ann(4, "\"image_id\": 2, \"category_id\": 7, \"bbox\": [45, 1, 20, 2], \"area\": 4"),
                ann(5, "\"image_id\": 1, \"category_id\": 99, \"bbox\": [1, 1, 2, 2], \"area\": 4"),
                ann(1, GOOD),
                "17",
                ann(6, "\"bbox\": [1, 1, {\"nested\": [1, {}]}, 2], \"image_id\": 1, \"category_id\": 7, \"area\": 4"),
                ann(8, GOOD)));
        Dataset d = CocoReader.read(f, ReadOptions.LENIENT);
        assertThat(d.annotations(1)).extracting(Annotation::id).containsExactly(1L, 8L);
        assertThat(d.skippedAnnotations()).isEqualTo(7);
        assertThat(d.skipReasons()).anyMatch(r -> r.contains("$.annotations[1].category_id"));
    }

    @Test
    void lvisFilesGiveFrequencyImageCountAndNegativeLists() throws Exception {
        Path f = dir.resolve("lvis.json");
        Files.writeString(f, "{\"images\": [{\"id\": 1, \"coco_url\": \"http://images.cocodataset.org/train2017/000000000001.jpg\","
                + " \"width\": 10, \"height\": 10, \"neg_category_ids\": [2], \"not_exhaustive_category_ids\": []}],"
                + " \"annotations\": [{\"id\": 1, \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 0, 5, 5], \"area\": 25,"
                + " \"segmentation\": [[0, 0, 5, 0, 5, 5]]}],"
                + " \"categories\": [{\"id\": 1, \"name\": \"a\", \"frequency\": \"r\", \"image_count\": 1, \"synonyms\": [\"x\"]},"
                + " {\"id\": 2, \"name\": \"b\", \"frequency\": \"f\", \"image_count\": 500}]}");
        Dataset d = LvisReader.read(f);
        assertThat(d.flavour()).isEqualTo(Dataset.Flavour.LVIS);
        assertThat(d.image(0).fileName()).isEqualTo("train2017/000000000001.jpg");
        assertThat(d.image(0).negCategoryIds()).containsExactly(2L);
        assertThat(d.categories().get(0).frequency()).isEqualTo(Frequency.RARE);
        assertThat(d.categories().get(1).imageCount()).isEqualTo(500);
    }

    @Test
    void lvisReaderRequiresFrequency() throws Exception {
        Path f = write(ann(1, GOOD));
        assertThatThrownBy(() -> LvisReader.read(f)).hasMessageContaining("$.categories[0]").hasMessageContaining("frequency");
    }

    @Test
    void compressedRleRoundTripsThroughPycocotoolsEncoding() {
        int[] counts = {3, 2, 2, 1, 1, 40, 70000, 5};
        String enc = RleString.encode(counts);
        assertThat(RleString.decode(enc)).containsExactly(counts);
        // pycocotools encodes [3, 2, 2, 1, 1] as "32211"? No: deltas from m > 2 apply, so it writes "3221O".
        assertThat(RleString.decode("32211")).containsExactly(3, 2, 2, 3, 3);
    }
}
