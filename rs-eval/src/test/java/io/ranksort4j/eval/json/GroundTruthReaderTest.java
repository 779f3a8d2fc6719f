package io.ranksort4j.eval.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.Segmentation;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The streaming annotation reader: what it keeps, what it skips, how it reports a bad entry. */
class GroundTruthReaderTest {
    private static GroundTruth read(String json) throws Exception {
        return GroundTruthReader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "gt.json");
    }

    @Test
    void readsImagesCategoriesAndAnnotationsInFileOrderSkippingUnknownFields() throws Exception {
        GroundTruth gt = read("""
                {"info": {"year": 2017, "nested": [1, {"a": 2}]}, "licenses": [],
                 "images": [{"id": 9, "height": 10, "width": 20, "file_name": "x.jpg"}, {"id": 3, "height": 5, "width": 5,
                             "neg_category_ids": [2], "not_exhaustive_category_ids": []}],
                 "categories": [{"id": 2, "name": "b", "frequency": "r"}, {"id": 1, "name": "a"}],
                 "annotations": [
                   {"id": 5, "image_id": 9, "category_id": 1, "bbox": [1, 2, 3, 4], "area": 12.5, "iscrowd": 0,
                    "segmentation": [[1, 2, 4, 2, 4, 6]]},
                   {"id": 4, "image_id": 9, "category_id": 2, "bbox": [0, 0, 2, 2], "area": 4, "iscrowd": 1,
                    "segmentation": {"counts": [0, 4, 196], "size": [10, 20]}},
                   {"id": 6, "image_id": 9, "category_id": 77, "bbox": [0, 0, 1, 1], "area": 1, "iscrowd": 0}]}
                """);
        assertThat(gt.imageIds()).containsExactly(3, 9);
        assertThat(gt.categoryIds()).containsExactly(1, 2);
        assertThat(gt.image(0).negCategoryIds()).containsExactly(2);
        assertThat(gt.categories().get(1).frequency()).isEqualTo("r");
        // the annotation of an unknown category is dropped, as pycocotools' catIds filter does
        assertThat(gt.annotations(1)).extracting(a -> a.id()).containsExactly(5L, 4L);
        assertThat(gt.annotations(1).get(0).segmentation()).isInstanceOf(Segmentation.Polygons.class);
        assertThat(gt.annotations(1).get(1).segmentation()).isInstanceOf(Segmentation.RleCounts.class);
        assertThat(gt.annotations(1).get(1).iscrowd()).isTrue();
    }

    @Test
    void anAnnotationWithoutAreaIsRejectedNamingItsIndexAndId() {
        assertThatThrownBy(() -> read("""
                {"images": [{"id": 1, "height": 1, "width": 1}], "categories": [{"id": 1}],
                 "annotations": [{"id": 1, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1], "area": 1},
                                 {"id": 8, "image_id": 1, "category_id": 1, "bbox": [0, 0, 1, 1]}]}
                """)).isInstanceOf(EvalInputException.class).hasMessageContaining("gt.json: annotations[1]")
                .hasMessageContaining("annotation id 8 has no 'area'");
        assertThatThrownBy(() -> read("[1, 2]")).hasMessageContaining("must be a JSON object");
    }
}
