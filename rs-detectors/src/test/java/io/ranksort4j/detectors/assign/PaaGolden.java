package io.ranksort4j.detectors.assign;

import java.io.File;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Reads golden/paa.npz, written by src/test/python/paa_golden.py (the official PAA routine with scikit-learn). */
final class PaaGolden {
    private static Map<String, INDArray> arrays;

    private PaaGolden() {}

    static synchronized Map<String, INDArray> arrays() throws Exception {
        if (arrays == null) {
            arrays = Nd4j.createFromNpzFile(new File(PaaGolden.class.getResource("/golden/paa.npz").toURI()));
        }
        return arrays;
    }

    static boolean has(String name) throws Exception {
        return arrays().containsKey(name);
    }

    static double[] doubles(String name) throws Exception {
        return arrays().get(name).castTo(DataType.DOUBLE).reshape(-1).toDoubleVector();
    }

    static float[] floats(String name) throws Exception {
        return arrays().get(name).castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    static int[] ints(String name) throws Exception {
        double[] d = doubles(name);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (int) Math.round(d[i]);
        }
        return out;
    }
}
