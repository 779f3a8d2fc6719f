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
 */
final class SyncedTrainerContext implements TrainerContext {
    private final CountDownLatch ready;

    SyncedTrainerContext(int workers) {
        ready = new CountDownLatch(workers);
    }

    @Override
    public void init(Model model, Object... args) {}

    @Override
    public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS, ParallelWrapper wrapper, WorkspaceMode mode,
                          int averagingFrequency) {
        SyncedTrainer t = new SyncedTrainer(ready);
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

        SyncedTrainer(CountDownLatch ready) {
            this.ready = ready;
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
