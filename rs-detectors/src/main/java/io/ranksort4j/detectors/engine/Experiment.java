package io.ranksort4j.detectors.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.config.Problems;
import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.plot.LinePlot;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.run.DatasetFingerprint;
import io.ranksort4j.core.run.MetricsLog;
import io.ranksort4j.core.run.RunProvenance;
import io.ranksort4j.core.run.WorkDirLock;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.DetectorBlueprint;
import io.ranksort4j.eval.Evaluator;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.json.GroundTruthReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configured experiment: validates the whole config at once, then trains (with resume) or tests a detector,
 * writing the run directory as mmdetection users expect it: the resolved config, run.json, metrics.jsonl,
 * checkpoints, loss curves, the COCO results file and final_metrics.json.
 */
public final class Experiment {
    /** The COCO summary keys, in pycocotools' order. */
    public static final List<String> COCO_KEYS = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl");

    private final Config config;
    private final ExperimentParams params;
    private final ComponentRegistry registry;
    private final Path workDir;
    private final PrintStream console;
    private final String batchAndLr;

    private Experiment(Config config, ExperimentParams params, ComponentRegistry registry, Path workDir, PrintStream console, String batchAndLr) {
        this.config = config;
        this.params = params;
        this.registry = registry;
        this.workDir = workDir;
        this.console = console;
        this.batchAndLr = batchAndLr;
    }

    /**
     * Binds a loaded config; every problem is reported at once.
     *
     * @param registryFor builds the registry given the config's custom_modules
     * @param workDir     the run directory, or null for runtime.work_dir or work_dirs/&lt;config name&gt;
     */
    public static Experiment of(Config config, java.util.function.Function<List<String>, ComponentRegistry> registryFor, Path configFile,
                                Path workDir, PrintStream console) {
        List<String> modules = config.hasPath("custom_modules") ? config.getStringList("custom_modules") : List.of();
        ComponentRegistry registry = registryFor.apply(modules);
        Problems problems = new Problems();
        ExperimentParams bound = ParamsBinder.bind(ExperimentParams.class, config, "", problems, registry::check);
        problems.throwIfAny();
        ExperimentParams p = new ExperimentParams(bound.model(), bound.data(), bound.schedule().forBatch(totalBatch(bound)), bound.runtime(),
                bound.evaluation(), bound.customModules());
        Path dir = workDir != null ? workDir
                : !p.runtime().workDir().isEmpty() ? Path.of(p.runtime().workDir())
                : Path.of("work_dirs", configFile.getFileName().toString().replaceFirst("\\.conf$", ""));
        var loader = p.data().train().loader();
        String batchAndLr = String.format("batch: %d images per iteration (data.train.loader.batch_size %d × world_size %d); %s", totalBatch(bound),
                loader.batchSize(), loader.worldSize(), bound.schedule().describeFor(totalBatch(bound)));
        return new Experiment(config, p, registry, dir.toAbsolutePath(), console, batchAndLr);
    }

    /** Images per iteration over all processes sharing an epoch: what auto_scale_lr scales to. */
    private static int totalBatch(ExperimentParams p) {
        var loader = p.data().train().loader();
        return loader.batchSize() * loader.worldSize();
    }

    /** The run's batch, lr and warm-up with where each came from (the first line a training run prints). */
    public String batchAndLr() {
        return batchAndLr;
    }

    public Path workDir() {
        return workDir;
    }

    public ExperimentParams params() {
        return params;
    }

    private DetectorBlueprint blueprint() {
        return registry.build(DetectorBlueprint.FAMILY, params.model());
    }

    private DataLoader loader(io.ranksort4j.data.DataSpec spec, String split, int classes) {
        DataLoader l = spec.loader(registry);
        if (l.dataset().numClasses() != classes) {
            throw new IllegalArgumentException("data." + split + " has " + l.dataset().numClasses() + " categories but model.num_classes is "
                    + classes + "; set model.num_classes = " + l.dataset().numClasses());
        }
        return l;
    }

    /** Keys that change how a run is logged or saved but not what it computes: a resume may change them freely. */
    static final List<String> RESUMABLE_KEYS = List.of("runtime.log_interval", "runtime.checkpoint_interval", "runtime.eval_interval",
            "runtime.keep_checkpoints", "runtime.work_dir", "runtime.load_from");

    /**
     * Trains to the end of the schedule; returns the final metrics. With {@code resume} it continues from the newest
     * usable checkpoint, refusing one written under another config or other data unless {@code force}.
     */
    public Map<String, Object> train(boolean resume, boolean force) {
        DetectorBlueprint bp = blueprint();
        long seed = params.runtime().seed();
        DataLoader train = loader(params.data().train(), "train", bp.numClasses());
        DataLoader val = loader(params.data().val(), "val", bp.numClasses());
        try (WorkDirLock lock = WorkDirLock.acquire(workDir, "train")) {
            List<DatasetFingerprint> data = fingerprints(List.of(train, val));
            Detector det = bp.build(seed);
            Trainer trainer = new Trainer(det, params.schedule(), params.runtime());
            Checkpointer ck = new Checkpointer(workDir, params.runtime().keepCheckpoints(), ConfigLoader.render(config));
            TrainerState start = TrainerState.start(seed, ConfigLoader.hash(config), data);
            if (resume) {
                Path last = trainer.resume(ck, (dir, state) -> checkSameRun(dir, state, data, force), console::println)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "--resume: no checkpoint in " + workDir.resolve("checkpoints") + "; drop --resume to start afresh"));
                TrainerState saved = Checkpointer.readState(last);
                start = start.at(saved.nextIter(), saved.epoch(), saved.batchInEpoch(), saved.components());
                console.println("resuming from " + last + " at iteration " + (start.nextIter() + 1));
            } else if (!params.runtime().loadFrom().isEmpty()) {
                console.println(LoadFrom.apply(det, Path.of(params.runtime().loadFrom())).summary());
            }
            prepareRunDir("train", seed, data);
            List<Integer> size = bp.inputSize();
            console.println(batchAndLr);
            console.printf("training %s: %d parameters, %d images, %d iterations per epoch, work dir %s%n", bp.type(), det.params().length(),
                    train.dataset().size(), train.plan(0).size(), workDir);
            Trainer.EvalHook hook = (d, iter) -> evaluate(Inference.run(d, val, size), val, false).get("bbox");
            try (TrainLogger log = new TrainLogger(workDir.resolve("metrics.jsonl"), console, System.console() != null, start.nextIter())) {
                trainer.train(new LoaderTrainData(train, size), start, ck, log, hook);
            }
            if (train.skippedImages() > 0) {
                console.printf("warning: %d training image%s skipped as unreadable (data.train.loader.skip_bad_images); the log names each%n",
                        train.skippedImages(), train.skippedImages() == 1 ? " was" : "s were");
            }
            plotLosses();
            return finish(evaluate(Inference.run(det, val, size), val, true), val);
        }
    }

    /** A checkpoint continues this run only if the config (up to {@link #RESUMABLE_KEYS}) and the data are the ones it was trained on. */
    private void checkSameRun(Path checkpoint, TrainerState saved, List<DatasetFingerprint> data, boolean force) {
        List<String> problems = new ArrayList<>();
        var savedConfig = Checkpointer.readConfig(checkpoint);
        if (savedConfig.isPresent()) {
            List<String> keys = ConfigLoader.differences(ConfigFactory.parseString(savedConfig.get()), config, RESUMABLE_KEYS);
            keys.forEach(k -> problems.add("config " + k));
        } else if (!saved.configHash().equals(ConfigLoader.hash(config))) {
            problems.add("config hash " + saved.configHash() + " -> " + ConfigLoader.hash(config) + " (this checkpoint predates "
                    + Checkpointer.CONFIG_FILE + ", so the keys cannot be named)");
        }
        for (DatasetFingerprint before : saved.data()) {
            DatasetFingerprint now = data.stream().filter(d -> d.annotationPath().equals(before.annotationPath())).findFirst().orElse(null);
            if (now == null) {
                problems.add("data " + before.annotationPath() + " is no longer read by this config");
            } else if (!now.sha256().equals(before.sha256())) {
                problems.add("data " + before.annotationPath() + " changed since the checkpoint (" + before.sizeBytes() + " bytes, " + before.imageCount()
                        + " images, SHA-256 " + before.sha256().substring(0, 12) + "… -> " + now.sizeBytes() + " bytes, " + now.imageCount()
                        + " images, " + now.sha256().substring(0, 12) + "…)");
            }
        }
        if (problems.isEmpty()) {
            return;
        }
        String list = String.join("\n  ", problems);
        if (!force) {
            throw new IllegalArgumentException("--resume: " + checkpoint + " was trained under other settings:\n  " + list
                    + "\nresume with these settings anyway with --force, or start afresh in another --work-dir");
        }
        console.println("warning: --force: resuming " + checkpoint + " under other settings:\n  " + list);
    }

    /**
     * Times training steps (forward, injected loss, backward, SGD update) after warm-up on the training split's
     * real batches: median step seconds, images per second and the share of the step spent in the recipe.
     */
    public Map<String, Object> benchmark(int warmup, int iters) {
        DetectorBlueprint bp = blueprint();
        TrainStep ts = trainStep(bp);
        double[] step = new double[iters];
        double[] lossShare = new double[iters];
        // resident and peak memory after each step: the first steps learn the workspaces' sizes, so the peak can fall there
        Map<String, List<Long>> memory = new LinkedHashMap<>();
        List<String> shapes = new ArrayList<>();
        for (String k : List.of("rss", "peak_rss", "heap_committed")) {
            memory.put(k, new ArrayList<>());
        }
        for (int i = 0; i < warmup + iters; i++) {
            double s = ts.run();
            memory.get("rss").add(procStatusMb("VmRSS:"));
            memory.get("peak_rss").add(procStatusMb("VmHWM:"));
            memory.get("heap_committed").add(Runtime.getRuntime().totalMemory() >> 20);
            shapes.add(ts.lastInputShape());
            if (i >= warmup) {
                step[i - warmup] = s;
                lossShare[i - warmup] = ts.detector().lastLossSeconds() / s;
            }
        }
        int images = ts.lastBatchSize();
        java.util.Arrays.sort(step);
        java.util.Arrays.sort(lossShare);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("detector", bp.type());
        out.put("input_size", bp.inputSize());
        out.put("batch_size", images);
        out.put("parameters", ts.detector().params().length());
        out.put("median_step_s", step[iters / 2]);
        out.put("images_per_s", images / step[iters / 2]);
        out.put("loss_share", lossShare[iters / 2]);
        out.put("iters", iters);
        // where the memory is: DL4J's workspaces of this thread (activations kept for backward, epsilons, scratch)
        Map<String, Long> ws = new TreeMap<>();
        for (var w : org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) {
            ws.put(w.getId(), w.getCurrentSize() >> 20);
        }
        out.put("workspaces_mb", ws);
        out.put("peak_rss_mb", procStatusMb("VmHWM:"));
        out.put("memory_mb_after_each_step", memory);
        out.put("input_shape_of_each_step", shapes);
        return out;
    }

    /** A memory figure of this process from /proc/self/status (VmHWM: peak resident, VmRSS: resident now), or −1 where /proc is not there. */
    private static long procStatusMb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** A fresh detector (seeded) with its optimiser and the training split, stepping one batch at a time. */
    public TrainStep trainStep() {
        return trainStep(blueprint());
    }

    private TrainStep trainStep(DetectorBlueprint bp) {
        DataLoader train = loader(params.data().train(), "train", bp.numClasses());
        Detector det = bp.build(params.runtime().seed());
        return new TrainStep(det, Trainer.sgd(det, params.schedule()), new LoaderTrainData(train, bp.inputSize()), params.schedule().lr());
    }

    /** The training split's loader, as the config builds it. */
    public DataLoader trainLoader() {
        return loader(params.data().train(), "train", blueprint().numClasses());
    }

    /** Evaluates a checkpoint on the val split; returns the final metrics. */
    public Map<String, Object> test(Path checkpoint) {
        return test(checkpoint, null, 0);
    }

    /**
     * Evaluates a checkpoint on the val split; returns the final metrics. With a {@code showDir}, also draws each val
     * image's ground truth beside its predictions scoring at least {@code showScoreThr} there.
     */
    public Map<String, Object> test(Path checkpoint, Path showDir, double showScoreThr) {
        DetectorBlueprint bp = blueprint();
        DataLoader val = loader(params.data().val(), "val", bp.numClasses());
        try (WorkDirLock lock = WorkDirLock.acquire(workDir, "test")) {
            prepareRunDir("test", params.runtime().seed(), fingerprints(List.of(val)));
            Detector det = bp.build(params.runtime().seed());
            Trainer.loadWeights(det, checkpointDir(checkpoint), null);
            List<Detection> dets = Inference.run(det, val, bp.inputSize());
            Map<String, Object> out = finish(evaluate(dets, val, true), val);
            if (showDir != null) {
                int n = ImageInference.drawComparisons(val.dataset(), dets, showDir, showScoreThr, console);
                console.printf("drew %d val image%s (ground truth | predictions) into %s%n", n, n == 1 ? "" : "s", showDir.toAbsolutePath());
            }
            return out;
        }
    }

    /** A checkpoints/iter_* directory, or the directory of a file in it (weights.bin). */
    private static Path checkpointDir(Path checkpoint) {
        return Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent();
    }

    /**
     * Runs a checkpoint on image files without annotations ({@code rs4j infer}): see {@link ImageInference#run}. The
     * classes are the training split's (data.train.dataset), numbered as training numbered them, so category ids and
     * names match what the model learned; {@code out} null means &lt;work dir&gt;/infer.
     */
    public ImageInference.Result infer(Path checkpoint, Path images, Path out, double scoreThr) {
        DetectorBlueprint bp = blueprint();
        List<Path> files = ImageInference.listImages(images);
        // Only the categories are needed, but a DatasetSource reads the whole annotation file: for COCO's train split
        // that costs a few seconds to a minute, once per run, which a categories-only reader would save.
        io.ranksort4j.data.coco.Dataset classes = registry.build(io.ranksort4j.data.DatasetSource.FAMILY, params.data().train().dataset()).load();
        if (classes.numClasses() != bp.numClasses()) {
            throw new IllegalArgumentException("data.train has " + classes.numClasses() + " categories but model.num_classes is " + bp.numClasses()
                    + "; infer needs the config the checkpoint was trained with (its checkpoints/iter_*/" + Checkpointer.CONFIG_FILE + ")");
        }
        Detector det = bp.build(params.runtime().seed());
        Trainer.loadWeights(det, checkpointDir(checkpoint), null);
        return ImageInference.run(det, bp.inputSize(), classes, params.data().val(), files, out != null ? out : workDir.resolve("infer"), scoreThr,
                console);
    }

    /**
     * Box metrics under "bbox" and, when the detector predicts masks, mask metrics under "segm" (the configured
     * evaluator with iou_type = segm); {@code writeResults} also writes results.bbox.json / results.segm.json.
     */
    private Map<String, Map<String, Double>> evaluate(List<Detection> dets, DataLoader val, boolean writeResults) {
        boolean masks = !dets.isEmpty() && dets.get(0).segmentation() != null;
        if (writeResults) {
            Inference.writeResults(workDir.resolve("results.bbox.json"), dets);
            if (masks) {
                Inference.writeSegmResults(workDir.resolve("results.segm.json"), dets);
            }
        }
        var gt = GroundTruthReader.read(val.dataset().source());
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        out.put("bbox", evaluate(params.evaluation(), gt, dets));
        if (masks) {
            ComponentSpec e = params.evaluation();
            out.put("segm", evaluate(new ComponentSpec(e.type(), e.config().withValue("iou_type", ConfigValueFactory.fromAnyRef("segm")), e.path(),
                    e.origin()), gt, dets));
        }
        return out;
    }

    private Map<String, Double> evaluate(ComponentSpec spec, io.ranksort4j.eval.data.GroundTruth gt, List<Detection> dets) {
        Evaluator ev = registry.build(Evaluator.FAMILY, spec).create(gt);
        ev.reset();
        ev.process(dets);
        Map<String, Double> metrics = new TreeMap<>(ev.evaluate());
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (String k : COCO_KEYS) {
            if (metrics.containsKey(k)) {
                ordered.put(k, metrics.get(k));
            }
        }
        metrics.forEach(ordered::putIfAbsent);
        return ordered;
    }

    private Map<String, Object> finish(Map<String, Map<String, Double>> metrics, DataLoader val) {
        Map<String, Object> out = new LinkedHashMap<>(metrics);
        out.put("ann_file", val.dataset().source().toAbsolutePath().toString());
        out.put("results_file", workDir.resolve("results.bbox.json").toString());
        if (metrics.containsKey("segm")) {
            out.put("segm_results_file", workDir.resolve("results.segm.json").toString());
        }
        Json.write(workDir.resolve("final_metrics.json"), out);
        metrics.forEach((kind, m) -> {
            console.println(MetricsTable.render(kind, m, COCO_KEYS.stream().filter(m::containsKey).toList()));
            console.println(MetricsTable.copypaste(m, COCO_KEYS.stream().filter(m::containsKey).toList()));
        });
        return out;
    }

    private static List<DatasetFingerprint> fingerprints(List<DataLoader> loaders) {
        return loaders.stream().map(l -> DatasetFingerprint.of(l.dataset().source(), l.dataset().size())).distinct().toList();
    }

    private void prepareRunDir(String command, long seed, List<DatasetFingerprint> data) {
        AtomicFiles.writeString(workDir.resolve("config.conf"), ConfigLoader.render(config));
        RunProvenance.collect(command, config, seed, data).write(workDir);
    }

    /** loss.png: every loss term of metrics.jsonl against the iteration. */
    private void plotLosses() {
        LinePlot plot = new LinePlot("training losses", "iteration", "loss");
        MetricsLog.read(workDir.resolve("metrics.jsonl")).train().forEach((k, c) -> {
            if (k.startsWith("loss")) {
                plot.add(k, c[0], c[1]);
            }
        });
        if (!plot.isEmpty()) {
            plot.write(workDir.resolve("loss.png"), 900, 500);
        }
    }
}
