package io.ranksort4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** backbone.pretrained values resolve to files, and a missing torchvision checkpoint names the command that fetches it. */
class PretrainedWeightsTest {
    @TempDir
    Path cache;

    @Test
    void torchvisionNamesResolveToTheirPublishedFileInTheCache() throws Exception {
        Path f = Files.writeString(cache.resolve("resnet50-0676ba61.pth"), "x");
        assertThat(PretrainedWeights.resolve("torchvision://resnet50", cache)).isEqualTo(f);
        assertThat(PretrainedWeights.fileName("resnet101")).isEqualTo("resnet101-63fe2227.pth");
    }

    @Test
    void aMissingTorchvisionCheckpointSaysWhichCommandFetchesIt() {
        assertThatThrownBy(() -> PretrainedWeights.resolve("torchvision://resnet50", cache))
                .hasMessageContaining("./rs4j weights fetch resnet50").hasMessageContaining(cache.resolve("resnet50-0676ba61.pth").toString());
    }

    @Test
    void anUnknownTorchvisionModelListsTheKnownOnes() {
        assertThatThrownBy(() -> PretrainedWeights.resolve("torchvision://resnet152", cache))
                .hasMessageContaining("unknown torchvision model 'resnet152'").hasMessageContaining("resnet18, resnet34, resnet50, resnet101");
    }

    @Test
    void aPathMustExist() {
        assertThatThrownBy(() -> PretrainedWeights.resolve(cache.resolve("nope.pth").toString(), cache)).hasMessageContaining("no such file");
    }

    @Test
    void theHashPrefixIsWhatFollowsTheLastDashBeforeTheExtension() {
        assertThat(PretrainedWeights.hashPrefix("resnet50-0676ba61.pth")).isEqualTo("0676ba61");
        assertThat(PretrainedWeights.hashPrefix("efficientnet_b0_rwightman-3dd342df.pth")).isEqualTo("3dd342df");
        assertThat(PretrainedWeights.hashPrefix("plain.pth")).isNull();
    }
}
