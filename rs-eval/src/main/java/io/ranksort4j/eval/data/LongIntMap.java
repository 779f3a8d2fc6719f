package io.ranksort4j.eval.data;

/** Open-addressing map from long ids to int indices: id lookups run once per detection, boxing them costs. */
final class LongIntMap {
    private long[] keys;
    private int[] values;
    private boolean[] used;
    private int size;

    LongIntMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[cap];
        values = new int[cap];
        used = new boolean[cap];
    }

    private static int mix(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Adds {@code k -> v} unless {@code k} is present. */
    void putIfAbsent(long k, int v) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (used[i]) {
            if (keys[i] == k) {
                return;
            }
            i = (i + 1) & mask;
        }
        used[i] = true;
        keys[i] = k;
        values[i] = v;
        size++;
    }

    /** The index of {@code k}, or -1. */
    int get(long k) {
        int mask = keys.length - 1;
        int i = mix(k) & mask;
        while (used[i]) {
            if (keys[i] == k) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    private void grow() {
        long[] ok = keys;
        int[] ov = values;
        boolean[] ou = used;
        keys = new long[ok.length * 2];
        values = new int[ok.length * 2];
        used = new boolean[ok.length * 2];
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ou[i]) {
                putIfAbsent(ok[i], ov[i]);
            }
        }
    }

    @Override
    public String toString() {
        return "LongIntMap[" + size + "]";
    }
}
