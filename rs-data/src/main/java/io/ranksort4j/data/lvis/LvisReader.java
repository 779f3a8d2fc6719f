package io.ranksort4j.data.lvis;

import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ReadOptions;
import java.nio.file.Path;

/** Reads LVIS v1 files: the COCO schema plus {@code frequency}, {@code image_count} and the image-level negative lists. */
public final class LvisReader {
    private LvisReader() {}

    /** Reads an LVIS v1 file; every category must carry {@code frequency}. */
    public static Dataset read(Path file, ReadOptions options) {
        return CocoReader.read(file, options, Dataset.Flavour.LVIS);
    }

    public static Dataset read(Path file) {
        return read(file, ReadOptions.STRICT);
    }
}
