package io.ranksort4j.parallel;

import com.typesafe.config.ConfigRenderOptions;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.head.DenseHeadLoss;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadGradients;
import io.ranksort4j.detectors.head.HeadLayout;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.head.HeadOutputs;
import io.ranksort4j.detectors.model.DenseDetectorParams;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * A detector's training recipe (RS-ATSS, ATSS, ...) as a self-contained DL4J loss, so that plain
 * {@code ComputationGraph.fit}, ParallelWrapper and Spark can train the detector: its only state is the model
 * config (type, HOCON, custom module classes), which survives DL4J's JSON and Java serialisation; the recipe and
 * the anchor layout are rebuilt lazily on each copy. Ground truth arrives in the labels ({@link TargetCodec}), so
 * each worker computes the loss over its own batch, as the official code does per GPU.
 *
 * <p>DL4J divides the score and the gradient by the minibatch size; the recipe's loss is already normalised
 * over the batch (as mmdetection's), so both are handed over multiplied by it.
 */
@org.nd4j.shade.jackson.annotation.JsonAutoDetect(fieldVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.ANY,
        getterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        setterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public final class RecipeLoss implements ILossFunction {
    private static final long serialVersionUID = 1L;

    private String type;
    private String model;
    private List<String> modules;

    // Per thread: DL4J may hand one loss instance to several workers, and a recipe and its cache are not shareable.
    private transient volatile ThreadLocal<PerThread> perThread;

    /** For DL4J's JSON deserialisation. */
    public RecipeLoss() {}

    /**
     * @param type    the detector type ({@code model.type})
     * @param model   the {@code model} section as HOCON
     * @param modules Guice module classes registering custom components ({@code custom_modules} and {@code --module})
     */
    public RecipeLoss(String type, String model, List<String> modules) {
        this.type = Objects.requireNonNull(type);
        this.model = Objects.requireNonNull(model);
        this.modules = new ArrayList<>(modules);
    }

    /** The loss of a config's {@code model} section. */
    public static RecipeLoss of(ComponentSpec spec, List<String> modules) {
        return new RecipeLoss(spec.type(), spec.config().root().render(ConfigRenderOptions.concise()), modules);
    }

    /** The detector blueprint this loss trains (rebuilt from the config). */
    public DenseBlueprint blueprint() {
        DetectorBlueprint bp = Injection.registry(modules()).build(DetectorBlueprint.FAMILY, ComponentSpec.of(type, model));
        if (!(bp instanceof DenseBlueprint dense)) {
            throw new IllegalArgumentException("data-parallel and Spark training run one-stage detectors (rs_atss, atss, retinanet); "
                    + "model.type = " + type + " is two-stage: train it with rs4j train (no --workers)");
        }
        if (dense.params().inputSize().isEmpty()) {
            // DL4J's fit hands this loss output rows without the image shape, so the anchor layout must be fixed
            throw new IllegalArgumentException("data-parallel and Spark training need a fixed model.input_size (the loss sees output rows, "
                    + "not image shapes): add --set 'model.input_size=[H, W]' with H and W multiples of 32 that fit every padded batch");
        }
        if (dense.params().head().shareLevels()) {
            // DL4J's fit steps every level's copy of the head on its own gradient: the copies would drift apart
            throw new IllegalArgumentException("data-parallel and Spark training cannot share one head across pyramid levels (DL4J's fit "
                    + "updates each level's copy on its own): add --set model.head.share_levels=false, or train with rs4j train (no --workers)");
        }
        if (!dense.loss().trainingState().isEmpty()) {
            // each worker's copy of the loss would keep its own state, and DL4J's fit has no epoch end to update it at
            throw new IllegalArgumentException("data-parallel and Spark training cannot carry the training state of model.type = " + type + " "
                    + dense.loss().trainingState().keySet() + ": train it with rs4j train (no --workers)");
        }
        return dense;
    }

    private List<String> modules() {
        return modules == null ? List.of() : modules; // DL4J's JSON leaves out empty lists
    }

    /** The recipe's result for the last batch this thread computed with this copy (loss terms for logging), or null. */
    public HeadLossResult last() {
        Cached c = local().cached;
        return c == null ? null : c.result();
    }

    /** The output row layout (anchors, classes, centerness) of the detector. */
    public HeadLayout layout() {
        return recipe().layout();
    }

    private Recipe recipe() {
        PerThread t = local();
        if (t.recipe == null) {
            DenseBlueprint bp = blueprint();
            DenseDetectorParams p = bp.params();
            AnchorGenerator gen = new AnchorGenerator(p.anchor());
            var anchors = gen.generate(AnchorGenerator.featureSizes(p.inputSize().get(0), p.inputSize().get(1), p.anchor().strides()));
            t.recipe = new Recipe(bp.loss(), new HeadLayout(p.numClasses(), anchors, bp.loss().usesCenterness()));
        }
        return t.recipe;
    }

    private PerThread local() {
        ThreadLocal<PerThread> t = perThread;
        if (t == null) {
            synchronized (this) {
                if (perThread == null) {
                    perThread = ThreadLocal.withInitial(PerThread::new);
                }
                t = perThread;
            }
        }
        return t.get();
    }

    private record Recipe(DenseHeadLoss loss, HeadLayout layout) {}

    /** The last batch's output rows and labels with the recipe's result over them. */
    private record Cached(float[][] rows, float[][] labels, HeadLossResult result) {}

    private static final class PerThread {
        Recipe recipe;
        Cached cached;
    }

    /** The recipe over one batch; computed once for the score and gradient DL4J asks for in turn. */
    private HeadLossResult result(INDArray labels, INDArray preOutput) {
        float[][] rows = preOutput.castTo(DataType.FLOAT).toFloatMatrix();
        if (labels == null) {
            throw new IllegalStateException("no labels: the detector's ground truth travels in the labels array (TargetCodec)");
        }
        float[][] lab = labels.castTo(DataType.FLOAT).toFloatMatrix();
        PerThread t = local();
        if (t.cached != null && Arrays.deepEquals(rows, t.cached.rows()) && Arrays.deepEquals(lab, t.cached.labels())) {
            return t.cached.result();
        }
        Recipe r = recipe();
        if (rows.length > 0 && rows[0].length != r.layout().width()) {
            throw new IllegalStateException("the network's output row has " + rows[0].length + " values but model." + type + " expects "
                    + r.layout().width() + "; was the graph built from a different model config?");
        }
        List<GroundTruth> gts = TargetCodec.ofWidth(lab.length == 0 ? 6 : lab[0].length).decode(lab);
        List<HeadOutputs> outs = new ArrayList<>(rows.length);
        for (float[] row : rows) {
            outs.add(r.layout().split(row));
        }
        HeadLossResult res = r.loss().compute(outs, gts, r.layout().anchors());
        t.cached = new Cached(rows, lab, res);
        return res;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask, boolean average) {
        double loss = result(labels, preOutput).loss();
        return average ? loss : loss * preOutput.size(0);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return Nd4j.valueArrayOf(new long[] {preOutput.size(0), 1}, result(labels, preOutput).loss(), preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        HeadLossResult res = result(labels, preOutput);
        HeadLayout layout = recipe().layout();
        int n = (int) preOutput.size(0);
        float[][] grad = new float[n][];
        for (int i = 0; i < n; i++) {
            HeadGradients g = res.grads().get(i);
            grad[i] = layout.join(g.logits(), g.deltas(), g.centerness());
            for (int j = 0; j < grad[i].length; j++) {
                grad[i][j] *= n;
            }
        }
        return Nd4j.create(grad).castTo(preOutput.dataType());
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                                          boolean average) {
        return Pair.of(computeScore(labels, preOutput, activationFn, mask, average), computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "recipe(" + type + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecipeLoss r && type.equals(r.type) && model.equals(r.model) && modules().equals(r.modules());
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, model, modules());
    }

    @Override
    public String toString() {
        return name();
    }
}
