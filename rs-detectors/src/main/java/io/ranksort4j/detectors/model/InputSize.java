package io.ranksort4j.detectors.model;

import java.util.List;

/**
 * The {@code model.input_size} key: empty (the default) pads each batch to its own largest image rounded up to 32,
 * as mmdetection's size_divisor; [height, width] pads every batch to one fixed size.
 */
public final class InputSize {
    /** The graph is configured for some size; its layers take any, so this one only sizes the build. */
    private static final int NOMINAL = 256;

    private InputSize() {}

    /** The validated, immutable value of the key. */
    public static List<Integer> check(List<Integer> size) {
        List<Integer> s = List.copyOf(size);
        if (!s.isEmpty() && (s.size() != 2 || s.get(0) % 32 != 0 || s.get(1) % 32 != 0)) {
            throw new IllegalArgumentException("input_size must be [] (pad each batch to its largest image) or [height, width], both multiples of 32; got "
                    + s);
        }
        return s;
    }

    public static int buildHeight(List<Integer> size) {
        return size.isEmpty() ? NOMINAL : size.get(0);
    }

    public static int buildWidth(List<Integer> size) {
        return size.isEmpty() ? NOMINAL : size.get(1);
    }
}
