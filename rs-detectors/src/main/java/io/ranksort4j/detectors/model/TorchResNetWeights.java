package io.ranksort4j.detectors.model;

import io.ranksort4j.core.weights.PretrainedWeights;
import io.ranksort4j.core.weights.TorchCheckpoint;
import io.ranksort4j.core.weights.TorchTensor;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Loads a torchvision ResNet state_dict (a PyTorch checkpoint read by {@link TorchCheckpoint}, or an .npz) into
 * the backbone of a {@link DetectorNetwork}: torchvision's names ({@code layer2.0.downsample.1.running_var}) map to
 * this project's layers ({@code layer2_0_down_bn} / {@code var}); the classifier ({@code fc}) is not used.
 */
public final class TorchResNetWeights {
    private TorchResNetWeights() {}

    /**
     * Loads a {@code backbone.pretrained} value into the networks that together hold the backbone (the frozen stem and
     * the rest): {@code torchvision://NAME} from {@code $RS4J_HOME/checkpoints} (the error names the fetch command when
     * it is missing), or a path to a .pth / .pt checkpoint or an .npz.
     */
    public static List<String> loadPretrained(List<ComputationGraph> graphs, String spec) {
        return load(graphs, PretrainedWeights.resolve(spec).toFile());
    }

    /** As {@link #loadPretrained(List, String)}, with torchvision checkpoints looked up in {@code cache}. */
    public static List<String> loadPretrained(ComputationGraph graph, String spec, Path cache) {
        return load(List.of(graph), PretrainedWeights.resolve(spec, cache).toFile());
    }

    /** Reads a PyTorch checkpoint or an .npz state_dict and loads it; returns the tensors that had no place in the graph. */
    public static List<String> load(ComputationGraph graph, File file) {
        return load(List.of(graph), file);
    }

    /** As {@link #load(ComputationGraph, File)} into several networks, each parameter into the one that has it. */
    public static List<String> load(List<ComputationGraph> graphs, File file) {
        if (TorchCheckpoint.looksLikeCheckpoint(file.toPath())) {
            return load(graphs, toNd4j(TorchCheckpoint.read(file.toPath()).tensors()));
        }
        return loadNpz(graphs, file);
    }

    /** The floating-point tensors as ND4J arrays (integer ones, e.g. num_batches_tracked, have no place in DL4J). */
    static Map<String, INDArray> toNd4j(List<TorchTensor> tensors) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (TorchTensor t : tensors) {
            if (!t.dtype().isFloatingPoint()) {
                continue;
            }
            out.put(t.name(), t.doubles() != null ? Nd4j.create(t.doubles(), t.shape(), 'c') : Nd4j.create(t.floats(), t.shape(), 'c'));
        }
        return out;
    }

    private static List<String> loadNpz(List<ComputationGraph> graphs, File npz) {
        Map<String, INDArray> tensors;
        try {
            tensors = Nd4j.createFromNpzFile(npz);
        } catch (Exception e) {
            throw new IllegalArgumentException(npz + ": neither a PyTorch checkpoint nor a readable .npz state_dict (" + e.getMessage()
                    + "); give a file written by torch.save, or convert one with ./rs4j weights convert FILE.pth", e);
        }
        return load(graphs, tensors);
    }

    /** Loads named tensors; every backbone parameter must be present with the right shape. */
    public static List<String> load(ComputationGraph graph, Map<String, INDArray> tensors) {
        return load(List.of(graph), tensors);
    }

    /** Loads named tensors into whichever of the networks has each parameter. */
    public static List<String> load(List<ComputationGraph> graphs, Map<String, INDArray> tensors) {
        Map<String, String> names = mapping(tensors.keySet());
        List<String> unused = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            String ours = names.get(e.getKey());
            if (ours == null) {
                unused.add(e.getKey());
                continue;
            }
            INDArray dst = graphs.stream().map(g -> g.paramTable().get(ours)).filter(java.util.Objects::nonNull).findFirst().orElse(null);
            if (dst == null) {
                problems.add(e.getKey() + " → " + ours + ": no such parameter in the model (is backbone.depth right?)");
            } else if (dst.length() != e.getValue().length()) {
                problems.add(e.getKey() + " → " + ours + ": " + e.getValue().length() + " values, the model has " + dst.length()
                        + " (check backbone.depth and backbone.base_width = 64)");
            } else {
                dst.assign(e.getValue().castTo(dst.dataType()).reshape(dst.shape()));
            }
        }
        for (ComputationGraph graph : graphs) {
            for (String key : graph.paramTable().keySet()) {
                if ((key.startsWith("stem") || key.startsWith("layer")) && !names.containsValue(key)) {
                    problems.add("the model's " + key + " has no tensor in the file");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot load the ResNet weights:\n  " + String.join("\n  ", problems));
        }
        return unused;
    }

    /** torchvision name → DL4J parameter key ({@code layer_param}). */
    static Map<String, String> mapping(Iterable<String> torchNames) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : torchNames) {
            String ours = map(n);
            if (ours != null) {
                out.put(n, ours);
            }
        }
        return out;
    }

    private static String map(String n) {
        String[] p = n.split("\\.");
        String last = p[p.length - 1];
        if (p.length == 2 && p[0].equals("conv1")) {
            return param("stem", last, false);
        }
        if (p.length == 2 && p[0].equals("bn1")) {
            return param("stem_bn", last, true);
        }
        if (p.length == 4 && p[0].startsWith("layer")) {
            String block = p[0] + "_" + p[1];
            if (p[2].startsWith("conv")) {
                return param(block + "_c" + p[2].substring(4), last, false);
            }
            if (p[2].startsWith("bn")) {
                return param(block + "_c" + p[2].substring(2) + "_bn", last, true);
            }
        }
        if (p.length == 5 && p[0].startsWith("layer") && p[2].equals("downsample")) {
            boolean bn = p[3].equals("1");
            return param(p[0] + "_" + p[1] + "_down" + (bn ? "_bn" : ""), last, bn);
        }
        return null;
    }

    private static String param(String layer, String torch, boolean bn) {
        String p = switch (torch) {
            case "weight" -> bn ? "gamma" : "W";
            case "bias" -> bn ? "beta" : "b";
            case "running_mean" -> "mean";
            case "running_var" -> "var";
            default -> null; // num_batches_tracked
        };
        return p == null ? null : layer + "_" + p;
    }
}
