package io.ranksort4j.detectors.model;

import io.ranksort4j.core.registry.Family;
import java.util.List;

/** A configured detector before its weights exist: what the {@code detector} family's factories produce. */
public interface DetectorBlueprint {
    /** The {@code detector} component family (rs_atss, atss, retinanet, alrp_loss, rs_faster_rcnn, ..., and researchers' own). */
    Family<DetectorBlueprint> FAMILY = new Family<>("detector", DetectorBlueprint.class,
            "detectors: network + training recipe + test pipeline (rs_atss, atss, retinanet, rs_faster_rcnn, rs_mask_rcnn, ...)");

    /** The registry name it was configured as. */
    String type();

    int numClasses();

    /** model.input_size: a fixed padded [height, width], or empty when each batch keeps its own padded shape. */
    List<Integer> inputSize();

    /** Builds the networks with fresh weights (seeded) and everything around them. */
    Detector build(long seed);
}
