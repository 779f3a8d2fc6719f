package io.ranksort4j.core.weights;

import java.util.Arrays;

/**
 * One named tensor of a checkpoint, contiguous in C order. Exactly one of the arrays holds the values: float16,
 * bfloat16 and float32 as {@code floats} (exact), float64 as {@code doubles}, integer and bool types as {@code longs}.
 */
public record TorchTensor(String name, long[] shape, TorchDtype dtype, float[] floats, double[] doubles, long[] longs) {

    public TorchTensor {
        int set = (floats != null ? 1 : 0) + (doubles != null ? 1 : 0) + (longs != null ? 1 : 0);
        if (set != 1) {
            throw new IllegalArgumentException(name + ": exactly one of floats, doubles, longs must hold the values");
        }
        long n = numel(shape);
        int len = floats != null ? floats.length : doubles != null ? doubles.length : longs.length;
        if (len != n) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " has " + n + " elements but " + len + " values were given");
        }
    }

    public static TorchTensor ofFloats(String name, long[] shape, TorchDtype dtype, float[] values) {
        return new TorchTensor(name, shape, dtype, values, null, null);
    }

    public static TorchTensor ofDoubles(String name, long[] shape, double[] values) {
        return new TorchTensor(name, shape, TorchDtype.FLOAT64, null, values, null);
    }

    public static TorchTensor ofLongs(String name, long[] shape, TorchDtype dtype, long[] values) {
        return new TorchTensor(name, shape, dtype, null, null, values);
    }

    public long numel() {
        return numel(shape);
    }

    static long numel(long[] shape) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /** The values as floats (float64 and int64 values are rounded). */
    public float[] toFloats() {
        if (floats != null) {
            return floats;
        }
        float[] out = new float[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles != null ? (float) doubles[i] : (float) longs[i];
        }
        return out;
    }

    /** The values as doubles (exact for every dtype but int64 beyond 2^53). */
    public double[] toDoubles() {
        if (doubles != null) {
            return doubles;
        }
        double[] out = new double[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats != null ? floats[i] : (double) longs[i];
        }
        return out;
    }

    /** The same tensor under another name. */
    public TorchTensor renamed(String newName) {
        return new TorchTensor(newName, shape, dtype, floats, doubles, longs);
    }

    @Override
    public String toString() {
        return name + " " + dtype.torchName() + Arrays.toString(shape);
    }
}
