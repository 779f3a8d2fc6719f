package io.ranksort4j.parallel;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * ParallelWrapper's default workers, except that no worker receives its first batch before every worker has
 * copied the network. DL4J's own {@code DefaultTrainer} copies the root network on its thread while worker 0
 * already trains that network, so a slow copy could start from the weights (and iteration count) after step 1.
 * Each worker also takes its share of the cores for ND4J's OpenMP threads.
 *
 * <p>Install it with {@code ParallelWrapper.setTrainerContext} after {@code build()}: in AVERAGING mode the builder
 * overwrites whatever {@code trainerFactory} was given with a {@code DefaultTrainerContext}.
 */
final class SyncedTrainerContext implements TrainerContext {
    private final int workers;
    private volatile CountDownLatch ready;

    SyncedTrainerContext(int workers) {
        this.workers = workers;
        ready = new CountDownLatch(workers);
    }

    @Override
    public void init(Model model, Object... args) {
        // ParallelWrapper drops its workers at the end of every fit and calls init before making new ones: a spent
        // latch would let the next fit's workers through unsynchronised
        ready = new CountDownLatch(workers);
    }

    @Override
    public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS, ParallelWrapper wrapper, WorkspaceMode mode,
                          int averagingFrequency) {
        SyncedTrainer t = new SyncedTrainer(ready, workers);
        t.setup(model, threadId, wrapper, mode, useMDS, uuid + "_thread_" + threadId, averagingFrequency);
        t.setName("rs4j worker " + threadId);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void finalizeRound(Model originalModel, Model... models) {}

    @Override
    public void finalizeTraining(Model originalModel, Model... models) {}

    /** DL4J's worker with a start barrier. */
    static final class SyncedTrainer extends DefaultTrainer {
        private final CountDownLatch ready;
        private final int workers;

        SyncedTrainer(CountDownLatch ready, int workers) {
            this.ready = ready;
            this.workers = workers;
        }

        void setup(Model model, int threadId, ParallelWrapper wrapper, WorkspaceMode mode, boolean useMDS, String uuid, int averagingFrequency) {
            this.originalModel = model;
            this.replicatedModel = model;
            this.threadId = threadId;
            this.parallelWrapper = wrapper;
            this.workspaceMode = mode;
            this.useMDS = useMDS;
            this.uuid = uuid;
            this.averagingFrequency = averagingFrequency;
        }

        @Override
        protected void postInit() {
            super.postInit();
            // share the cores: ND4J's default OpenMP team per worker would oversubscribe them (spinning barriers)
            int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
            org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(threads);
            org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(threads);
            ready.countDown();
        }

        @Override
        public void feedMultiDataSet(MultiDataSet dataSet, long etlTime) {
            try {
                if (!ready.await(10, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("data-parallel workers did not start within 10 minutes");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the workers to start", e);
            }
            super.feedMultiDataSet(dataSet, etlTime);
        }
    }
}
