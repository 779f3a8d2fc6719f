package io.ranksort4j.detectors.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The named tensors of a detector and where each lies in its one flat parameter vector (what a checkpoint's
 * {@code params.json} records): names are the DL4J networks' parameter keys ({@code layer_param}) behind a prefix
 * per network, so the same layer has the same name whether a stage is frozen or not.
 */
public record ParamLayout(List<Entry> entries) {
    /** One tensor: its name, shape and first index in the flat vector. */
    public record Entry(String name, long[] shape, long offset) {
        public long length() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    public ParamLayout {
        entries = List.copyOf(entries);
    }

    /**
     * Reads the networks' parameter tables, each a set of views into {@code flat}; the tensors must tile the vector
     * exactly, so that no value goes unnamed.
     */
    public static ParamLayout of(INDArray flat, List<Map.Entry<String, Model>> prefixedNetworks) {
        List<Entry> out = new ArrayList<>();
        prefixedNetworks.forEach(pn -> pn.getValue().paramTable().forEach((key, view) -> {
            String prefix = pn.getKey();
            Entry e = new Entry(prefix + key, view.shape(), view.offset() - flat.offset());
            // a copy instead of a view would put the name on other values: its ends must be the vector's
            INDArray v = view.reshape(view.length());
            if (e.offset() < 0 || e.offset() + e.length() > flat.length() || v.getDouble(0) != flat.getDouble(e.offset())
                    || v.getDouble(v.length() - 1) != flat.getDouble(e.offset() + e.length() - 1)) {
                throw new IllegalStateException("parameter " + e.name() + " is not a view of the detector's parameter vector");
            }
            out.add(e);
        }));
        out.sort(Comparator.comparingLong(Entry::offset));
        long next = 0;
        for (Entry e : out) {
            if (e.offset() != next) {
                throw new IllegalStateException("parameters " + next + ".." + e.offset() + " of the detector have no name (before " + e.name() + ")");
            }
            next += e.length();
        }
        if (next != flat.length()) {
            throw new IllegalStateException("the named parameters cover " + next + " of the detector's " + flat.length() + " values");
        }
        return new ParamLayout(out);
    }

    /** The entries by name, in vector order. */
    public Map<String, Entry> byName() {
        Map<String, Entry> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.name(), e));
        return m;
    }

    /** Values in all. */
    public long length() {
        return entries.stream().mapToLong(Entry::length).sum();
    }
}
