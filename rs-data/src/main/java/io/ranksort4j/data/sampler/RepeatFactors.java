package io.ranksort4j.data.sampler;

import io.ranksort4j.data.coco.Dataset;

/**
 * LVIS repeat factors (Gupta et al. 2019): f(c) = fraction of images containing c,
 * r(c) = max(1, sqrt(t / f(c))) (or t / f(c) without the root), r(I) = max of r(c) over I's categories, 1 if none.
 */
public final class RepeatFactors {
    private RepeatFactors() {}

    /** r(c) by label; categories present in no image get 1. */
    public static double[] categoryFactors(int[][] labelsPerImage, int numClasses, double threshold, boolean sqrt) {
        int[] count = new int[numClasses];
        for (int[] ls : labelsPerImage) {
            for (int l : ls) {
                count[l]++;
            }
        }
        double n = labelsPerImage.length;
        double[] r = new double[numClasses];
        for (int c = 0; c < numClasses; c++) {
            if (count[c] == 0) {
                r[c] = 1;
                continue;
            }
            double ratio = threshold / (count[c] / n);
            r[c] = Math.max(1.0, sqrt ? Math.sqrt(ratio) : ratio);
        }
        return r;
    }

    /** r(I) for every image (each {@code labelsPerImage[i]} lists image i's distinct labels). */
    public static double[] imageFactors(int[][] labelsPerImage, int numClasses, double threshold, boolean sqrt) {
        double[] rc = categoryFactors(labelsPerImage, numClasses, threshold, sqrt);
        double[] out = new double[labelsPerImage.length];
        for (int i = 0; i < out.length; i++) {
            double m = 1.0;
            for (int l : labelsPerImage[i]) {
                m = Math.max(m, rc[l]);
            }
            out[i] = m;
        }
        return out;
    }

    /** r(I) for every image of a dataset. */
    public static double[] imageFactors(Dataset d, double threshold, boolean sqrt) {
        return imageFactors(d.labelsPerImage(), d.numClasses(), threshold, sqrt);
    }
}
