package io.ranksort4j.detectors.rpn;

import io.ranksort4j.core.config.Param;

/** mmdetection's RPN proposal config (train_cfg.rpn_proposal / test_cfg.rpn) for turning RPN outputs into proposals. */
public record ProposalParams(
        @Param(value = "top anchors kept per level before NMS, by sigmoid score (mmdet: 2000 train, 1000 test)",
                def = "1000", min = 1) int nmsPre,
        @Param(value = "proposals kept per image after NMS, by score", def = "1000", min = 1) int maxPerImg,
        @Param(value = "NMS IoU threshold; levels never suppress each other", def = "0.7", min = 0, max = 1)
                double nmsIou,
        @Param(value = "boxes need width and height strictly above this (negative: no filtering)", def = "0")
                double minBboxSize) {

    /** RS-Faster R-CNN's train_cfg.rpn_proposal. */
    public static ProposalParams train() {
        return new ProposalParams(2000, 1000, 0.7, 0);
    }

    /** RS-Faster R-CNN's test_cfg.rpn. */
    public static ProposalParams test() {
        return new ProposalParams(1000, 1000, 0.7, 0);
    }
}
