package io.ranksort4j.detectors.rpn;

import io.ranksort4j.detectors.head.GroundTruth;
import java.util.Arrays;
import java.util.Random;

/**
 * The random source of a sampled baseline's draw for one image: seeded by the image's ground truth and the network's
 * current outputs, so a run and its resume from a checkpoint draw alike, while every iteration draws afresh.
 */
public final class SampleSeed {
    private SampleSeed() {}

    public static Random of(GroundTruth gt, float[] outputs) {
        return new Random(31L * Arrays.hashCode(gt.boxes()) + Arrays.hashCode(outputs));
    }
}
