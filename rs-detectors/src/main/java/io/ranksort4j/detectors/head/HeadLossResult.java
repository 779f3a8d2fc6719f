package io.ranksort4j.detectors.head;

import java.util.List;
import java.util.Map;

/** A batch's total head loss, its logged parts (RS ranking and sorting, λ, box, ...) and each image's gradients. */
public record HeadLossResult(double loss, Map<String, Double> terms, List<HeadGradients> grads) {}
