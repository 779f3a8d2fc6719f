package io.ranksort4j.core.weights;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where pretrained weights live: torchvision's ImageNet ResNet checkpoints (their published file names, which
 * carry a SHA-256 prefix), the cache directory {@code $RS4J_HOME/checkpoints} (default
 * {@code ~/.cache/ranksort4j/checkpoints}), and {@code backbone.pretrained} values ({@code torchvision://resnet50}
 * as mmdetection spells it, or a path to a .pth / .npz).
 */
public final class PretrainedWeights {
    /** The scheme mmdetection uses for torchvision's ImageNet checkpoints. */
    public static final String TORCHVISION = "torchvision://";

    /** Where torchvision publishes its weights. */
    public static final String TORCHVISION_BASE_URL = "https://download.pytorch.org/models/";

    /** torchvision's IMAGENET1K_V1 ResNet files (torchvision/models/resnet.py). */
    private static final Map<String, String> FILES = new LinkedHashMap<>();

    static {
        FILES.put("resnet18", "resnet18-f37072fd.pth");
        FILES.put("resnet34", "resnet34-b627a593.pth");
        FILES.put("resnet50", "resnet50-0676ba61.pth");
        FILES.put("resnet101", "resnet101-63fe2227.pth");
    }

    private static final Pattern HASH = Pattern.compile("-([a-f0-9]+)\\.");

    private PretrainedWeights() {}

    /** The names {@code rs4j weights fetch} and {@code torchvision://} accept. */
    public static List<String> names() {
        return List.copyOf(FILES.keySet());
    }

    /** The published file name of a torchvision model, e.g. resnet50 → resnet50-0676ba61.pth. */
    public static String fileName(String model) {
        String f = FILES.get(model);
        if (f == null) {
            throw new IllegalArgumentException("unknown torchvision model '" + model + "'; known: " + String.join(", ", names()));
        }
        return f;
    }

    /** The hash prefix in a file name ({@code NAME-HASH.EXT}, torchvision's check_hash convention), or null. */
    public static String hashPrefix(String fileName) {
        Matcher m = HASH.matcher(fileName);
        String found = null;
        while (m.find()) {
            found = m.group(1);
        }
        return found;
    }

    /** {@code $RS4J_HOME}, or {@code ~/.cache/ranksort4j} when it is unset. */
    public static Path home() {
        String env = System.getenv("RS4J_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "ranksort4j");
    }

    /** The default checkpoint cache, {@code $RS4J_HOME/checkpoints}. */
    public static Path defaultCache() {
        return home().resolve("checkpoints");
    }

    /** Resolves a {@code backbone.pretrained} value against the default cache. */
    public static Path resolve(String spec) {
        return resolve(spec, defaultCache());
    }

    /**
     * Resolves a {@code backbone.pretrained} value: {@code torchvision://NAME} to its file in {@code cache} (which
     * must be there: the error gives the command that fetches it), anything else to an existing file.
     */
    public static Path resolve(String spec, Path cache) {
        if (spec.startsWith(TORCHVISION)) {
            String model = spec.substring(TORCHVISION.length());
            if (!FILES.containsKey(model)) {
                throw new IllegalArgumentException("backbone.pretrained = \"" + spec + "\": unknown torchvision model '" + model
                        + "'; known: " + String.join(", ", names()));
            }
            Path file = cache.resolve(FILES.get(model));
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("backbone.pretrained = \"" + spec + "\": " + file + " is not there; fetch it with "
                        + "`./rs4j weights fetch " + model + "`" + (cache.equals(defaultCache()) ? "" : " --cache " + cache)
                        + " (the cache is $RS4J_HOME/checkpoints, default ~/.cache/ranksort4j/checkpoints)");
            }
            return file;
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("backbone.pretrained = \"" + spec + "\": no such file (relative paths start at "
                    + Path.of("").toAbsolutePath() + "); give a .pth/.npz state_dict or torchvision://NAME with NAME one of "
                    + String.join(", ", names()));
        }
        return file;
    }
}
