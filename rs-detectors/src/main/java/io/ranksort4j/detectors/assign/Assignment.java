package io.ranksort4j.detectors.assign;

/**
 * The result of assigning anchors to ground truth, as mmdetection's AssignResult: per anchor, −1 ignored,
 * 0 background, k &gt; 0 the (k−1)-th GT box.
 */
public record Assignment(int[] gtIndex) {
    public static final int IGNORE = -1;
    public static final int BACKGROUND = 0;

    public int numPositives() {
        int n = 0;
        for (int g : gtIndex) {
            n += g > 0 ? 1 : 0;
        }
        return n;
    }
}
