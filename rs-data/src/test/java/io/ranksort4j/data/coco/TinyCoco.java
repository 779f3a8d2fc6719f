package io.ranksort4j.data.coco;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Real COCO test data: the shared 100-image tiny_coco sample when present, else the 3-image subset in the
 * test resources (so tests run from a fresh clone).
 */
public final class TinyCoco {
    private TinyCoco() {}

    private static Path shared() {
        String prop = System.getProperty("rs4j.tinyCoco");
        Path[] candidates = prop != null ? new Path[] {Path.of(prop)}
                : new Path[] {Path.of("../../shared/data/tiny_coco"), Path.of("../shared/data/tiny_coco"), Path.of("/work/shared/data/tiny_coco")};
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve("annotations/instances_train2017.json"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }

    /** The full 100-image sample; tests that count its contents are skipped without it. */
    public static Path full() {
        Path p = shared();
        Assumptions.assumeTrue(p != null, "tiny_coco sample data not found");
        return p;
    }

    /** The full sample if present, else the bundled 3-image subset. */
    public static Path root() {
        Path p = shared();
        if (p != null) {
            return p;
        }
        try {
            return Path.of(TinyCoco.class.getResource("/tiny_coco_subset/PROVENANCE.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bundled 3-image subset (always present). */
    public static Path subset() {
        try {
            return Path.of(TinyCoco.class.getResource("/tiny_coco_subset/PROVENANCE.md").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path trainAnn() {
        return root().resolve("annotations/instances_train2017.json");
    }

    public static Path trainImages() {
        return root().resolve("train2017");
    }

    public static Path fullTrainAnn() {
        return full().resolve("annotations/instances_train2017.json");
    }
}
