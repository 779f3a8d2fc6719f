package io.ranksort4j.data.coco;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Locates the shared tiny_coco sample (100 real COCO 2017 images); tests needing it are skipped without it. */
public final class TinyCoco {
    private TinyCoco() {}

    /** The tiny_coco root, or a skipped test if it is absent (e.g. on a fresh clone without the shared data). */
    public static Path root() {
        for (Path p : new Path[] {Path.of(System.getProperty("rs4j.tinyCoco", "/work/shared/data/tiny_coco")),
                Path.of("../../shared/data/tiny_coco"), Path.of("../shared/data/tiny_coco")}) {
            if (Files.isRegularFile(p.resolve("annotations/instances_train2017.json"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        Assumptions.abort("tiny_coco sample data not found");
        return null;
    }

    public static Path trainAnn() {
        return root().resolve("annotations/instances_train2017.json");
    }

    public static Path trainImages() {
        return root().resolve("train2017");
    }
}
