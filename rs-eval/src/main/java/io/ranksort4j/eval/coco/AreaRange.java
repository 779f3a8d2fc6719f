package io.ranksort4j.eval.coco;

/** A named area range, inclusive at both ends like the reference's tests. */
public record AreaRange(String label, double lo, double hi) {
    /** all / small / medium / large with the reference's bounds ({@code 1e5 ** 2} for "no limit"). */
    public static final AreaRange[] COCO = {
        new AreaRange("all", 0, 1e10), new AreaRange("small", 0, 32 * 32),
        new AreaRange("medium", 32 * 32, 96 * 96), new AreaRange("large", 96 * 96, 1e10)};

    static double[][] bounds(AreaRange[] r) {
        double[][] b = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            b[i] = new double[] {r[i].lo, r[i].hi};
        }
        return b;
    }
}
