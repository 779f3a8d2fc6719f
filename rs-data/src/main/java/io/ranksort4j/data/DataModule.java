package io.ranksort4j.data;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.Registries;
import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ReadOptions;
import io.ranksort4j.data.lvis.LvisReader;
import io.ranksort4j.data.sampler.RandomSampler;
import io.ranksort4j.data.sampler.RepeatFactorSampler;
import io.ranksort4j.data.sampler.Sampler;
import io.ranksort4j.data.sampler.SequentialSampler;
import io.ranksort4j.data.synth.SynthDataset;
import io.ranksort4j.data.synth.SynthParams;
import java.nio.file.Path;

/** Registers the {@code dataset} family (coco, lvis, synth) and the {@code sampler} family (sequential, random, repeat_factor). */
public final class DataModule extends AbstractModule {
    /** A COCO or LVIS annotation file and its image folder. */
    public record FileParams(
            @Param(value = "instances JSON file (required)", def = "null") Path annFile,
            @Param(value = "folder the images' file names are relative to (required)", def = "null") Path imgPrefix,
            @Param(value = "drop images without annotations (mmdetection's filter_empty_gt; false for evaluation)", def = "true") boolean filterEmptyGt,
            @Param(value = "skip and count bad annotations instead of failing", def = "false") boolean lenient,
            @Param(value = "keep polygons/RLE (needed for masks)", def = "true") boolean withSegmentation) {
        /** Fails with the missing keys named (checked at load so that listing and default-building work). */
        Path checkedAnnFile() {
            if (annFile == null || imgPrefix == null) {
                throw new IllegalArgumentException("dataset: set both ann_file and img_prefix (missing: "
                        + (annFile == null ? "ann_file" + (imgPrefix == null ? ", img_prefix" : "") : "img_prefix") + ")");
            }
            return annFile;
        }
    }

    /** The built-in synthetic dataset, generated into {@code dir} on first use. */
    public record SynthSourceParams(
            @Param(value = "where the data is (generated if missing)", def = "\"data/synth\"") Path dir,
            @Param(value = "train or val", def = "train") String split,
            @Param(value = "drop images without annotations", def = "true") boolean filterEmptyGt,
            @Param(value = "training images", def = "800", min = 1) int trainImages,
            @Param(value = "validation images", def = "100", min = 0) int valImages,
            @Param(value = "categories", def = "5", min = 1, max = 64) int categories,
            @Param(value = "image side in pixels", def = "320", min = 64) int size,
            @Param(value = "generator seed", def = "42") long seed,
            @Param(value = "long-tailed frequencies and LVIS fields", def = "false") boolean longTail) {
        public SynthParams synth() {
            SynthParams d = SynthParams.defaults();
            return new SynthParams(trainImages, valImages, categories, size, seed, longTail, d.minObjects(), d.maxObjects(),
                    d.minScale(), d.maxScale(), d.crowdFraction(), d.format());
        }
    }

    /** Samplers without parameters (the loader supplies the seed). */
    public record NoParams() {}

    @Override
    protected void configure() {
        MapBinder<String, ComponentFactory<DatasetSource>> ds = Registries.factories(binder(), DatasetSource.FAMILY);
        ds.addBinding("coco").toInstance(ComponentFactory.of(FileParams.class,
                "COCO instances file (polygons or RLE), labels 0..K-1 in category-id order",
                p -> () -> finish(CocoReader.read(p.checkedAnnFile(), options(p)), p.imgPrefix(), p.filterEmptyGt())));
        ds.addBinding("lvis").toInstance(ComponentFactory.of(FileParams.class,
                "LVIS v1 file: COCO schema plus frequency, image_count and negative-category lists",
                p -> () -> finish(LvisReader.read(p.checkedAnnFile(), options(p)), p.imgPrefix(), p.filterEmptyGt())));
        ds.addBinding("synth").toInstance(ComponentFactory.of(SynthSourceParams.class,
                "built-in synthetic shapes (COCO format), generated on first use",
                p -> () -> {
                    SynthDataset.Layout l = SynthDataset.ensure(p.dir(), p.synth());
                    Dataset d = CocoReader.read(l.annotations(p.split()));
                    return finish(d, l.images(p.split()), p.filterEmptyGt());
                }));

        MapBinder<String, ComponentFactory<Sampler>> s = Registries.factories(binder(), Sampler.FAMILY);
        s.addBinding("sequential").toInstance(ComponentFactory.of(NoParams.class, "every image once in file order (evaluation)",
                p -> new SequentialSampler()));
        s.addBinding("random").toInstance(ComponentFactory.of(NoParams.class, "every image once per epoch, shuffled by seed and epoch",
                p -> new RandomSampler()));
        s.addBinding("repeat_factor").toInstance(ComponentFactory.of(RepeatFactorSampler.Params.class,
                "LVIS repeat-factor sampling (stochastic as detectron2, ceil as mmdetection's ClassBalancedDataset)",
                p -> new RepeatFactorSampler(p)));
    }

    private static ReadOptions options(FileParams p) {
        return new ReadOptions(p.lenient(), p.withSegmentation(), 1.0);
    }

    private static Dataset finish(Dataset d, Path imgPrefix, boolean filterEmpty) {
        Dataset r = d.withImageRoot(imgPrefix);
        return filterEmpty ? r.filterEmptyGt() : r;
    }
}
