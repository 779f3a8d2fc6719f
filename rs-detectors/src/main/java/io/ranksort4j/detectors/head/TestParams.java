package io.ranksort4j.detectors.head;

import io.ranksort4j.core.config.Param;

/** mmdetection's test_cfg for dense heads. */
public record TestParams(
        @Param(value = "top anchors kept per level before NMS, by max class score", def = "1000", min = 1) int nmsPre,
        @Param(value = "minimum score of a (box, class) pair", def = "0.05", min = 0, max = 1) double scoreThr,
        @Param(value = "NMS IoU threshold, per class", def = "0.6", min = 0, max = 1) double nmsIou,
        @Param(value = "detections kept per image", def = "100", min = 1) int maxPerImg,
        @Param(value = "PAA's score voting: each kept box becomes the score- and IoU-weighted mean of its class's candidates (paa, rs_paa)", def = "false") boolean scoreVoting,
        @Param(value = "how the centerness / IoU branch's sigmoid joins the class score: product (ATSS) or sqrt (PAA: √(score · IoU))", def = "product") BranchScore branchScore) {

    /** How a per-anchor quality branch is combined with the class scores at test time. */
    public enum BranchScore { PRODUCT, SQRT }

    /** The first four settings, no voting, the branch multiplied in. */
    public TestParams(int nmsPre, double scoreThr, double nmsIou, int maxPerImg) {
        this(nmsPre, scoreThr, nmsIou, maxPerImg, false, BranchScore.PRODUCT);
    }
}
