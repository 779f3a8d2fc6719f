package io.ranksort4j.detectors.head;

import io.ranksort4j.core.config.Param;

/** mmdetection's test_cfg for dense heads. */
public record TestParams(
        @Param(value = "top anchors kept per level before NMS, by max class score", def = "1000", min = 1) int nmsPre,
        @Param(value = "minimum score of a (box, class) pair", def = "0.05", min = 0, max = 1) double scoreThr,
        @Param(value = "NMS IoU threshold, per class", def = "0.6", min = 0, max = 1) double nmsIou,
        @Param(value = "detections kept per image", def = "100", min = 1) int maxPerImg) {}
