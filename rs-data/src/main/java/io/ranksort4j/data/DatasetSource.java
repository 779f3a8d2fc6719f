package io.ranksort4j.data;

import io.ranksort4j.core.registry.Family;
import io.ranksort4j.data.coco.Dataset;

/** Where a dataset comes from (a COCO or LVIS file, or the built-in synthetic data); loads it on demand. */
public interface DatasetSource {
    /** The {@code dataset} component family (coco, lvis, synth). */
    Family<DatasetSource> FAMILY = new Family<>("dataset", DatasetSource.class, "detection datasets (coco, lvis, synth)");

    /** Reads the annotations (images are read later, by the loader), with image paths resolved. */
    Dataset load();
}
