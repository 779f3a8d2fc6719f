package io.ranksort4j.eval.coco;

/**
 * pycocotools' {@code eval} arrays, flat in numpy's C order: {@code precision[T][R][K][A][M]},
 * {@code recall[T][K][A][M]}; -1 where a slice has no GT. Plus the oLRP arrays {@code [K][A]}
 * (for one maxDets entry), -1 where undefined and NaN for components without a TP.
 */
public record Accumulation(int t, int r, int k, int a, int m, double[] precision, double[] recall,
                           double[] olrp, double[] olrpLoc, double[] olrpFp, double[] olrpFn, double[] olrpThreshold) {

    public double precision(int ti, int ri, int ki, int ai, int mi) {
        return precision[(((ti * r + ri) * k + ki) * a + ai) * m + mi];
    }

    public double recall(int ti, int ki, int ai, int mi) {
        return recall[((ti * k + ki) * a + ai) * m + mi];
    }

    /** Index into the {@code [K][A]} oLRP arrays. */
    public int lrpIndex(int ki, int ai) {
        return ki * a + ai;
    }
}
