package io.ranksort4j.parallel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.detectors.head.GroundTruth;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TargetCodecTest {
    @Test
    void groundTruthSurvivesTheLabelsArray() {
        GroundTruth a = new GroundTruth(new float[] {1.5f, 2, 30, 40.25f, 5, 6, 7, 8}, new int[] {3, 0});
        GroundTruth empty = new GroundTruth(new float[0], new int[0]);
        TargetCodec codec = new TargetCodec(4);
        INDArray labels = codec.encode(List.of(a, empty));
        assertThat(labels.shape()).containsExactly(2, 21);

        List<GroundTruth> back = TargetCodec.ofWidth(labels.size(1)).decode(labels.toFloatMatrix());
        assertThat(back.get(0).boxes()).containsExactly(a.boxes());
        assertThat(back.get(0).labels()).containsExactly(3, 0);
        assertThat(back.get(1).count()).isZero();
    }

    @Test
    void tooManyBoxesIsAnErrorNamingTheFix() {
        GroundTruth three = new GroundTruth(new float[12], new int[3]);
        assertThatThrownBy(() -> new TargetCodec(2).encode(List.of(three)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 boxes").hasMessageContaining("--max-boxes");
    }

    @Test
    void aRowThatIsNotEncodedTargetsIsRejected() {
        assertThatThrownBy(() -> TargetCodec.ofWidth(7)).hasMessageContaining("not encoded ground truth");
        assertThatThrownBy(() -> new TargetCodec(2).decode(new float[][] {{2.5f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}))
                .hasMessageContaining("not a box count");
    }
}
