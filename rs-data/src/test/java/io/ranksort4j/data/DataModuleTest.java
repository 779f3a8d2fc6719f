package io.ranksort4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.data.loader.Batch;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.sampler.RepeatFactorSampler;
import io.ranksort4j.data.sampler.Sampler;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataModuleTest {
    @TempDir
    Path dir;

    @Test
    void theServiceModuleRegistersDatasetsAndSamplers() {
        ComponentRegistry r = Injection.registry(List.of());
        assertThat(r.names("dataset")).containsExactly("coco", "lvis", "synth");
        assertThat(r.names("sampler")).containsExactly("random", "repeat_factor", "sequential");
        Sampler s = r.build(Sampler.FAMILY, io.ranksort4j.core.config.ComponentSpec.of("repeat_factor", "threshold = 0.01, mode = ceil"));
        assertThat(((RepeatFactorSampler) s).params().mode()).isEqualTo(RepeatFactorSampler.Mode.CEIL);
    }

    @Test
    void aDataSectionOfAConfigGivesABatchIterator() {
        String hocon = "dataset { type = synth, dir = \"" + dir.resolve("s") + "\", train_images = 6, val_images = 2 }\n"
                + "sampler { type = random }\n"
                + "transform { scales = [[320, 320]] }\n"
                + "loader { batch_size = 2, workers = 1, seed = 3 }";
        DataSpec spec = ParamsBinder.bindOrThrow(DataSpec.class, ConfigFactory.parseString(hocon).resolve(), "data.train");
        DataLoader loader = spec.loader(Injection.registry(List.of()));
        assertThat(loader.dataset().numClasses()).isEqualTo(5);
        int n = 0;
        try (DataLoader.BatchIterator it = loader.epoch(0)) {
            while (it.hasNext()) {
                Batch b = it.next();
                assertThat(b.images().shape()).containsExactly(2, 3, 320, 320);
                n += b.size();
            }
        }
        assertThat(n).isEqualTo(loader.dataset().size());
    }

    @Test
    void cocoSourceReadsAFileWithItsImageFolderAndFilter() {
        Path root = io.ranksort4j.data.coco.TinyCoco.subset();
        ComponentRegistry r = Injection.registry(List.of());
        DatasetSource src = r.build(DatasetSource.FAMILY, io.ranksort4j.core.config.ComponentSpec.of("coco",
                "ann_file = \"" + root.resolve("annotations/instances_train2017.json") + "\", img_prefix = \"" + root.resolve("train2017") + "\""));
        io.ranksort4j.data.coco.Dataset d = src.load();
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.imagePath(d.image(0))).exists();
    }

    @Test
    void cocoSourceWithoutItsFilesSaysWhichKeysAreMissing() {
        DatasetSource src = Injection.registry(List.of()).build(DatasetSource.FAMILY, io.ranksort4j.core.config.ComponentSpec.of("coco"));
        org.assertj.core.api.Assertions.assertThatThrownBy(src::load).hasMessageContaining("ann_file").hasMessageContaining("img_prefix");
    }
}
