package io.ranksort4j.parallel;

import com.typesafe.config.Config;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.registry.Injection;
import io.ranksort4j.core.run.WorkDirLock;
import io.ranksort4j.detectors.engine.Checkpointer;
import io.ranksort4j.detectors.engine.Experiment;
import io.ranksort4j.detectors.engine.LoaderTrainData;
import io.ranksort4j.detectors.engine.LrSchedule;
import io.ranksort4j.detectors.engine.TrainLogger;
import io.ranksort4j.detectors.engine.TrainerState;
import io.ranksort4j.detectors.model.DenseBlueprint;
import io.ranksort4j.detectors.model.ParamLayout;
import java.io.DataOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An experiment config trained by DL4J's own fit on several workers (ParallelWrapper threads here, Spark executors
 * in rs-spark): the same detector, data, schedule and run directory as {@code rs4j train}, with the loader's batch
 * as the total batch shared by the workers. The result is a checkpoint in the usual format, evaluated on the val
 * split as {@code rs4j test} does. {@code --resume} is not supported: DL4J's momentum buffers are not the trainer's.
 */
public final class ParallelExperiment {
    private final Config config;
    private final Experiment experiment;
    private final RecipeLoss loss;
    private final DenseBlueprint blueprint;
    private final PrintStream console;

    private ParallelExperiment(Config config, Experiment experiment, RecipeLoss loss, PrintStream console) {
        this.config = config;
        this.experiment = experiment;
        this.loss = loss;
        this.blueprint = loss.blueprint();
        this.console = console;
    }

    /**
     * Loads and validates a config as {@code rs4j train} does.
     *
     * @param modules Guice modules from the command line, besides the config's {@code custom_modules}
     */
    public static ParallelExperiment load(Path configFile, List<String> overrides, Path workDir, List<String> modules, PrintStream console) {
        Config config = ConfigLoader.load(configFile, overrides);
        Experiment e = Experiment.of(config, fromConfig -> Injection.registry(all(modules, fromConfig)), configFile, workDir, console);
        RecipeLoss loss = RecipeLoss.of(e.params().model(), all(modules, e.params().customModules()));
        return new ParallelExperiment(config, e, loss, console);
    }

    private static List<String> all(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    public Experiment experiment() {
        return experiment;
    }

    /** The training split, padded to the model's input size, one loader batch (the total batch) at a time. */
    public LoaderTrainData trainData() {
        return new LoaderTrainData(experiment.trainLoader(), blueprint.params().inputSize());
    }

    /** Iterations (rounds of all workers) the schedule runs. */
    public int rounds(LoaderTrainData data) {
        return new LrSchedule(experiment.params().schedule(), data.batchesPerEpoch()).maxIters();
    }

    /** The detector's network (seeded by runtime.seed) ready for DL4J's fit. */
    public FitGraph.Built network(LoaderTrainData data) {
        return FitGraph.build(blueprint, loss, experiment.params().schedule(), data.batchesPerEpoch(), experiment.params().runtime().seed());
    }

    /** Trains with ParallelWrapper on {@code workers} threads of this machine, then evaluates; returns the final metrics. */
    public Map<String, Object> trainOnThreads(int workers) {
        LoaderTrainData data = trainData();
        int rounds = rounds(data);
        FitGraph.Built net = network(data);
        console.println(experiment.batchAndLr());
        console.printf("training %s with DL4J ParallelWrapper: %d workers sharing each batch, %d parameters, %d iterations, work dir %s%n",
                blueprint.type(), workers, net.graph().numParams(), rounds, experiment.workDir());
        DetectorBatches batches = new DetectorBatches(data, new TargetCodec(TargetCodec.DEFAULT_CAPACITY), workers, rounds);
        try (WorkDirLock lock = WorkDirLock.acquire(experiment.workDir(), "train --workers " + workers); TrainLogger log = logger()) {
            DataParallelTrainer.train(net.graph(), batches, logTo(log, rounds, net.graph()));
        }
        return finish(net.graph(), rounds, rounds / Math.max(1, data.batchesPerEpoch()));
    }

    /** The run's metrics.jsonl and console log, as the single-process trainer writes them. */
    public TrainLogger logger() {
        try {
            Files.createDirectories(experiment.workDir());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create work dir " + experiment.workDir() + ": " + e.getMessage(), e);
        }
        return new TrainLogger(experiment.workDir().resolve("metrics.jsonl"), console, false, 0);
    }

    /** Forwards finished iterations to a logger at the config's log interval. */
    public DataParallelTrainer.Log logTo(TrainLogger log, int rounds, ComputationGraph graph) {
        int every = experiment.params().runtime().logInterval();
        LrSchedule lrs = new LrSchedule(experiment.params().schedule(), Math.max(1, trainDataBatches()));
        return (iter, lossValue, terms, seconds) -> {
            Map<String, Double> t = new LinkedHashMap<>();
            t.put("loss", lossValue);
            t.putAll(terms);
            if (!Double.isFinite(lossValue)) {
                throw new IllegalStateException("loss is " + lossValue + " at iteration " + (iter + 1) + "; lower schedule.lr or set schedule.grad_clip");
            }
            log.iteration(iter, rounds, t, seconds, 0);
            if ((iter + 1) % every == 0 || iter + 1 == rounds) {
                log.log(0, iter, rounds, lrs.lr(iter));
            }
        };
    }

    private int batchesPerEpoch = -1;

    private int trainDataBatches() {
        if (batchesPerEpoch < 0) {
            batchesPerEpoch = experiment.trainLoader().plan(0).size();
        }
        return batchesPerEpoch;
    }

    /** Saves the trained weights as the run's checkpoint and evaluates them on the val split. */
    public Map<String, Object> finish(ComputationGraph trained, int iterations, int epochs) {
        Checkpointer ck = new Checkpointer(experiment.workDir(), experiment.params().runtime().keepCheckpoints(), ConfigLoader.render(config));
        TrainerState state = TrainerState.start(experiment.params().runtime().seed(), ConfigLoader.hash(config), List.of())
                .at(iterations, epochs, 0, Map.of());
        Path dir = ck.save(state, ParamLayout.of(trained.params(), List.of(Map.entry("", trained))), file -> {
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
                Nd4j.write(trained.params(), out);
                // the single-process trainer's momentum slot: DL4J's buffers are laid out per updater block, so start afresh
                Nd4j.write(Nd4j.zeros(trained.params().dataType(), trained.numParams()), out);
            }
        });
        console.println("checkpoint " + dir);
        Map<String, Object> out = experiment.test(dir);
        console.println("final metrics: " + experiment.workDir().resolve("final_metrics.json"));
        return out;
    }
}
