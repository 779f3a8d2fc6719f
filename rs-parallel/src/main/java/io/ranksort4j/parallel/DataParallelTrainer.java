package io.ranksort4j.parallel;

import io.ranksort4j.detectors.head.HeadLossResult;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Data-parallel training on one machine with DL4J's ParallelWrapper: {@code workers} copies of the network, each
 * fitting its own sub-batch (and computing the recipe's loss over it, as the official code does per GPU), their
 * parameters and momentum buffers averaged after every iteration. Because the updater is linear in the gradient
 * (momentum SGD, coupled weight decay), averaging after every step is the same as averaging gradients, up to what
 * is per worker by nature: the loss's normalisation over the worker's batch, batch-norm batch statistics and
 * per-layer clipping. One worker trains with plain {@code ComputationGraph.fit}.
 */
public final class DataParallelTrainer {
    /** Receives one line per finished iteration: its 0-based index, mean loss over workers and loss terms. */
    public interface Log {
        void iteration(int iter, double loss, Map<String, Double> terms, double seconds);
    }

    /** A finished run: each iteration's loss (mean over workers), its wall seconds, and the workers. */
    public record Run(double[] losses, double[] stepSeconds, int workers) {
        /** Median wall seconds of an iteration (all workers), after the first {@code skip} iterations. */
        public double medianStepSeconds(int skip) {
            double[] s = Arrays.copyOfRange(stepSeconds, Math.min(skip, stepSeconds.length - 1), stepSeconds.length);
            Arrays.sort(s);
            return s[s.length / 2];
        }
    }

    private DataParallelTrainer() {}

    /** Trains {@code graph} (built by {@link FitGraph}) on all of {@code data}; the graph holds the averaged result. */
    public static Run train(ComputationGraph graph, DetectorBatches data, Log log) {
        int workers = data.splits();
        Recorder rec = new Recorder(workers, log);
        if (workers == 1) {
            graph.setListeners(rec);
            rec.start();
            graph.fit(data);
            graph.setListeners();
        } else {
            ParallelWrapper pw = wrapper(graph, workers);
            pw.setListeners(rec);
            // the workers cut ND4J's process-wide thread counts to their share of the cores; what runs after
            // training (evaluation, the next run in this JVM) gets them back
            int ompThreads = Nd4j.getEnvironment().maxThreads();
            int blasThreads = Nd4j.factory().blas().getMaxThreads();
            try {
                rec.start();
                pw.fit(data);
                pw.shutdown();
            } finally {
                Nd4j.getEnvironment().setMaxThreads(ompThreads);
                Nd4j.factory().blas().setMaxThreads(blasThreads);
            }
            graph.setListeners();
        }
        return rec.run();
    }

    /** ParallelWrapper over {@code graph}: parameters and momentum averaged after every step, workers started together. */
    static ParallelWrapper wrapper(ComputationGraph graph, int workers) {
        ParallelWrapper pw = new ParallelWrapper.Builder<>(graph)
                .workers(workers)
                .prefetchBuffer(2)
                .trainingMode(ParallelWrapper.TrainingMode.AVERAGING)
                .averagingFrequency(1)
                .averageUpdaters(true)
                .reportScoreAfterAveraging(false)
                .workspaceMode(WorkspaceMode.ENABLED)
                .build();
        // Not .trainerFactory(...): in AVERAGING mode build() replaces it with a DefaultTrainerContext. Without the start
        // barrier, worker 1 copies the network on its own thread while worker 0 already trains it; on a cold JVM the copy
        // (JSON round trip, init) loses that race, and round 1 starts worker 1 from worker 0's stepped weights, momentum
        // and iteration count. The zoo is made on the first fit, so setting the context here is in time.
        pw.setTrainerContext(new SyncedTrainerContext(workers));
        return pw;
    }

    /** The recipe loss of one worker's copy of the network. */
    static RecipeLoss lossOf(Model m) {
        return (RecipeLoss) ((LossLayer) ((ComputationGraph) m).getOutputLayer(0).conf().getLayer()).getLossFn();
    }

    /** Collects each worker's loss per iteration (listeners run on the worker threads). */
    private static final class Recorder extends BaseTrainingListener {
        private final int workers;
        private final Log log;
        private final Map<Integer, double[]> sums = new ConcurrentHashMap<>();
        private final Map<Integer, Map<String, Double>> terms = new ConcurrentHashMap<>();
        private final Map<Integer, Long> done = new ConcurrentHashMap<>();
        private final Map<Model, int[]> calls = new java.util.IdentityHashMap<>();
        private long t0;

        Recorder(int workers, Log log) {
            this.workers = workers;
            this.log = log;
        }

        void start() {
            t0 = System.nanoTime();
        }

        @Override
        public void iterationDone(Model model, int modelIteration, int epoch) {
            HeadLossResult r = lossOf(model).last();
            if (r == null) {
                throw new IllegalStateException("worker finished iteration " + modelIteration + " without computing the recipe loss");
            }
            boolean complete;
            int iteration;
            synchronized (this) {
                // each worker fits one sub-batch per round: its n-th call is round n
                iteration = calls.computeIfAbsent(model, k -> new int[1])[0]++;
                double[] s = sums.computeIfAbsent(iteration, k -> new double[2]);
                s[0] += r.loss();
                s[1]++;
                Map<String, Double> t = terms.computeIfAbsent(iteration, k -> new LinkedHashMap<>());
                r.terms().forEach((k, v) -> t.merge(k, v / workers, Double::sum));
                complete = s[1] == workers;
                if (complete) {
                    done.put(iteration, System.nanoTime());
                }
            }
            if (complete && log != null) {
                long prev = iteration == 0 ? t0 : done.getOrDefault(iteration - 1, t0);
                log.iteration(iteration, sums.get(iteration)[0] / workers, terms.get(iteration), (done.get(iteration) - prev) / 1e9);
            }
        }

        Run run() {
            int n = sums.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
            int first = sums.keySet().stream().mapToInt(Integer::intValue).min().orElse(0);
            double[] losses = new double[n - first];
            double[] secs = new double[n - first];
            long prev = t0;
            for (int i = first; i < n; i++) {
                double[] s = sums.get(i);
                losses[i - first] = s == null ? Double.NaN : s[0] / s[1];
                long t = done.getOrDefault(i, prev);
                secs[i - first] = (t - prev) / 1e9;
                prev = t;
            }
            return new Run(losses, secs, workers);
        }
    }
}
