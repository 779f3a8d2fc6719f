package io.ranksort4j.data.synth;

/** Opens package-private synth helpers to tests in other packages. */
public final class SynthTestAccess {
    private SynthTestAccess() {}

    public static int[] columnMajorRuns(byte[] rowMajor, int h, int w) {
        return SynthImage.columnMajorRuns(rowMajor, h, w);
    }
}
