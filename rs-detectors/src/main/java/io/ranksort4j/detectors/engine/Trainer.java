package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.run.TrainingState;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.head.HeadLossResult;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.detectors.model.Sgd;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The training loop, iteration- or epoch-based: learning-rate schedule, forward and backward with the
 * recipe's injected gradients, SGD step, logging, atomic checkpoints that resume exactly, periodic evaluation.
 */
public final class Trainer {
    /** Called to evaluate the current weights; returns metrics (e.g. bbox AP) to log. */
    public interface EvalHook {
        Map<String, Double> evaluate(Detector detector, int iter);
    }

    private final Detector detector;
    private final ScheduleParams schedule;
    private final RuntimeParams runtime;
    private final Sgd sgd;

    public Trainer(Detector detector, ScheduleParams schedule, RuntimeParams runtime) {
        this.detector = detector;
        this.schedule = schedule;
        this.runtime = runtime;
        this.sgd = sgd(detector, schedule);
    }

    /** The schedule's SGD over the detector's trainable (not frozen) parameters; every training loop starts here. */
    static Sgd sgd(Detector detector, ScheduleParams schedule) {
        NativeMemory.mapLargeBlocks();
        return new Sgd(schedule.momentum(), schedule.weightDecay(), schedule.gradClip(), detector.trainable());
    }

    /** Trains from {@code start} (a fresh state or a resumed one) to the end of the schedule; returns the final state. */
    public TrainerState train(TrainData data, TrainerState start, Checkpointer checkpoints, TrainLogger log, EvalHook eval) {
        int perEpoch = data.batchesPerEpoch();
        LrSchedule lrs = new LrSchedule(schedule, perEpoch);
        int maxIters = lrs.maxIters();
        int iter = start.nextIter();
        int epoch = start.epoch();
        int inEpoch = start.batchInEpoch();
        INDArray params = detector.params();
        Map<String, TrainingState> components = detector.trainingState();
        while (iter < maxIters) {
            Iterator<DetectionBatch> it = data.epoch(epoch, inEpoch);
            long t0 = System.nanoTime();
            while (iter < maxIters && it.hasNext()) {
                DetectionBatch b = it.next();
                long t1 = System.nanoTime();
                double lr = lrs.lr(iter);
                HeadLossResult r = detector.forwardBackward(b);
                Map<String, Double> terms = new LinkedHashMap<>();
                terms.put("loss", r.loss());
                terms.putAll(r.terms());
                stopIfNotFinite(terms, iter, checkpoints);
                double gradNorm = sgd.step(params, detector.gradient(), lr);
                terms.put("grad_norm", gradNorm);
                stopIfNotFinite(Map.of("grad_norm", gradNorm), iter, checkpoints);
                terms.put("time_loss", detector.lastLossSeconds());
                long t2 = System.nanoTime();
                log.iteration(iter, maxIters, terms, (t2 - t0) / 1e9, (t1 - t0) / 1e9);
                iter++;
                inEpoch++;
                if (iter % runtime.logInterval() == 0 || iter == maxIters) {
                    log.log(epoch, iter - 1, maxIters, lr);
                }
                boolean epochEnd = !it.hasNext();
                if (epochEnd) {
                    components.values().forEach(TrainingState::epochEnd);
                }
                TrainerState now = epochEnd ? start.at(iter, epoch + 1, 0, TrainerState.save(components))
                        : start.at(iter, epoch, inEpoch, TrainerState.save(components));
                if (runtime.checkpointInterval() > 0 ? iter % runtime.checkpointInterval() == 0 || iter == maxIters : epochEnd || iter == maxIters) {
                    save(checkpoints, now);
                }
                if (eval != null && runtime.evalInterval() > 0 && iter % runtime.evalInterval() == 0 && iter < maxIters) {
                    log.val(now.epoch(), iter - 1, eval.evaluate(detector, iter));
                }
                t0 = System.nanoTime();
            }
            epoch++;
            inEpoch = 0;
        }
        return start.at(iter, epoch, 0, TrainerState.save(components));
    }

    /**
     * A NaN or infinite loss term or gradient stops the run before the step is taken (mmdetection stops too), so
     * nothing of it reaches the weights or a checkpoint.
     */
    private static void stopIfNotFinite(Map<String, Double> terms, int iter, Checkpointer checkpoints) {
        terms.forEach((name, v) -> {
            if (!Double.isFinite(v)) {
                throw new NonFiniteLossException(iter + 1, name, v, terms, checkpoints.latestComplete().orElse(null));
            }
        });
    }

    /**
     * Loads the newest usable checkpoint of the run (weights, momentum, every component's state), passing over
     * damaged ones with a warning; returns its directory, empty when the run has none. {@code sameRun} may refuse a
     * checkpoint before anything of it is loaded.
     */
    public Optional<Path> resume(Checkpointer checkpoints, Checkpointer.Loader sameRun, Consumer<String> warn) {
        return checkpoints.loadLatest(sameRun, (dir, state) -> {
            restoreComponents(dir, state);
            loadWeights(detector, dir, sgd.velocity());
        }, warn);
    }

    private void restoreComponents(Path dir, TrainerState state) {
        Map<String, TrainingState> live = detector.trainingState();
        if (!live.keySet().equals(state.components().keySet())) {
            throw new IllegalStateException(dir.resolve(Checkpointer.STATE_FILE) + " holds state for " + state.components().keySet()
                    + " but the configured detector has " + new TreeSet<>(live.keySet())
                    + " (a checkpoint of another model, or written before its state was saved); start afresh without --resume");
        }
        live.forEach((name, c) -> c.restore(state.components().get(name)));
    }

    private void save(Checkpointer checkpoints, TrainerState state) {
        checkpoints.save(state, detector.paramLayout(), file -> {
            try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 20))) {
                Nd4j.write(detector.params(), out);
                Nd4j.write(sgd.velocity(), out);
            }
        });
    }

    /** Loads a checkpoint's weights into a detector (for testing); {@code velocity} may be null. */
    public static void loadWeights(Detector detector, Path checkpointDir, INDArray velocity) {
        Path f = checkpointDir.resolve(Checkpointer.MODEL_FILE);
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f), 1 << 20))) {
            INDArray p = Nd4j.read(in);
            if (p.length() != detector.params().length()) {
                throw new IllegalArgumentException(f + " holds " + p.length() + " parameters but the configured model has "
                        + detector.params().length() + "; was it trained with a different model config?");
            }
            detector.params().assign(p.reshape(detector.params().shape()));
            if (velocity != null) {
                velocity.assign(Nd4j.read(in).reshape(velocity.shape()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
        }
    }
}
