package io.ranksort4j.detectors.engine;

import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.ParamLayout;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * mmdetection's {@code load_from}: a new run starts from another run's weights, tensor by tensor, matched by name
 * and shape; what does not match (a head for another number of classes) keeps its fresh initialisation and is
 * reported. The optimiser starts afresh.
 */
public final class LoadFrom {
    /** What was taken from the checkpoint and what was not, and why. */
    public record Report(Path checkpoint, int loaded, long loadedValues, List<String> skipped, List<String> notInCheckpoint) {
        /** Lines for the console. */
        public String summary() {
            StringBuilder b = new StringBuilder(String.format("load_from %s: %d tensors (%d values) loaded", checkpoint, loaded, loadedValues));
            if (!skipped.isEmpty()) {
                b.append("; ").append(skipped.size()).append(" in the checkpoint not loaded:\n  ").append(String.join("\n  ", skipped));
            }
            if (!notInCheckpoint.isEmpty()) {
                b.append("\n").append(notInCheckpoint.size()).append(" of this model's tensors not in the checkpoint (kept as initialised):\n  ")
                        .append(String.join("\n  ", notInCheckpoint));
            }
            return b.toString();
        }
    }

    private LoadFrom() {}

    /** Copies every tensor of {@code checkpointDir} whose name and shape this detector has into its parameters. */
    public static Report apply(Detector detector, Path checkpointDir) {
        Path f = checkpointDir.resolve(Checkpointer.MODEL_FILE);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException("runtime.load_from: " + f + ": no such file; give a checkpoint directory (a run's checkpoints/iter_NNNNNN)");
        }
        INDArray saved;
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
            saved = Nd4j.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException("runtime.load_from: cannot read " + f + ": " + e.getMessage(), e);
        }
        ParamLayout mine = detector.paramLayout();
        INDArray params = detector.params();
        var theirs = Checkpointer.readLayout(checkpointDir).orElse(null);
        if (theirs == null) {
            // written before checkpoints named their tensors: usable only as a whole
            if (saved.length() != params.length()) {
                throw new IllegalArgumentException("runtime.load_from: " + checkpointDir + " has no " + Checkpointer.PARAMS_FILE + " (written before "
                        + "tensors were named) and " + saved.length() + " values where this model has " + params.length()
                        + "; only a checkpoint of the same model can be loaded from it");
            }
            params.assign(saved.reshape(params.shape()));
            return new Report(checkpointDir, mine.entries().size(), params.length(), List.of(), List.of());
        }
        INDArray flatSaved = saved.reshape(saved.length());
        Map<String, ParamLayout.Entry> have = mine.byName();
        List<String> skipped = new ArrayList<>();
        int loaded = 0;
        long values = 0;
        for (ParamLayout.Entry e : theirs.entries()) {
            ParamLayout.Entry m = have.remove(e.name());
            if (m == null) {
                skipped.add(e.name() + " " + Arrays.toString(e.shape()) + ": not in this model");
            } else if (!Arrays.equals(m.shape(), e.shape())) {
                skipped.add(e.name() + ": shape " + Arrays.toString(e.shape()) + " in the checkpoint, " + Arrays.toString(m.shape()) + " here");
            } else {
                params.get(NDArrayIndex.interval(m.offset(), m.offset() + m.length()))
                        .assign(flatSaved.get(NDArrayIndex.interval(e.offset(), e.offset() + e.length())));
                loaded++;
                values += e.length();
            }
        }
        List<String> missing = have.values().stream().map(e -> e.name() + " " + Arrays.toString(e.shape())).toList();
        return new Report(checkpointDir, loaded, values, skipped, missing);
    }
}
