package io.ranksort4j.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.engine.ScheduleParams;
import io.ranksort4j.detectors.engine.ToyData;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.ranksort4j.detectors.engine.TrainData;
import io.ranksort4j.detectors.model.DenseBlueprint;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class DataParallelTrainerTest {
    static final int ROUNDS = 5;
    static final ScheduleParams SCHEDULE = TinyModel.schedule(
            "lr = 0.02, momentum = 0.9, weight_decay = 1e-4, grad_clip = 35, warmup = none, policy = fixed, max_iters = " + ROUNDS);

    record Result(DataParallelTrainer.Run run, INDArray start, INDArray end) {}

    static Result train(int workers) {
        RecipeLoss loss = RecipeLoss.of(TinyModel.spec(), List.of());
        FitGraph.Built fit = FitGraph.build(loss.blueprint(), loss, SCHEDULE, 4, 1);
        INDArray start = fit.graph().params().dup();
        // total batch 4: one worker takes all 4 images, two workers 2 each
        DetectorBatches data = new DetectorBatches(new ToyData(64, 4, 4, 11), new TargetCodec(8), workers, ROUNDS);
        DataParallelTrainer.Run run = DataParallelTrainer.train(fit.graph(), data, null);
        return new Result(run, start, fit.graph().params().dup());
    }

    @Test
    void twoWorkersWithHalfBatchesTrackOneWorkerWithTheWholeBatch() {
        Result one = train(1);
        Result two = train(2);
        assertThat(one.run().losses()).hasSize(ROUNDS);
        assertThat(two.run().losses()).hasSize(ROUNDS);

        // The same total batch and averaged steps, but not the same loss: the RS loss ranks and normalises within each
        // worker's 2 images instead of all 4 (as per GPU in the official code), and batch norm uses 2-image statistics.
        // Measured: 0.6% apart at the first iteration (same weights), 15% at most after 5 (the 2-worker run falls faster).
        assertThat(two.run().losses()[0]).isCloseTo(one.run().losses()[0], org.assertj.core.data.Percentage.withPercentage(2));
        for (int i = 1; i < ROUNDS; i++) {
            assertThat(two.run().losses()[i]).as("iteration %d", i).isCloseTo(one.run().losses()[i], org.assertj.core.data.Percentage.withPercentage(20));
        }
        // the runs learn: the loss over the last iterations is below the first's
        assertThat(mean(two.run().losses(), ROUNDS - 3, ROUNDS)).isLessThan(two.run().losses()[0]);

        // the weights move alike: a run that dropped a worker's update (no averaging) would be off by ~half the step
        double step = one.end().sub(one.start()).norm2Number().doubleValue();
        double gap = two.end().sub(one.end()).norm2Number().doubleValue();
        // measured 0.12
        assertThat(gap / step).isLessThan(0.25);
    }

    static final ScheduleParams ONE_STEP = TinyModel.schedule(
            "lr = 0.02, momentum = 0.9, weight_decay = 1e-4, grad_clip = 0, warmup = none, policy = fixed, max_iters = 1");

    /** Parameters and momentum buffer, each averaged over the graphs that took one step on one half of the batch. */
    private static INDArray[] separateSteps(RecipeLoss loss, TrainData data) {
        DenseBlueprint bp = loss.blueprint();
        MultiDataSet[] halves = DetectorBatches.split(data.epoch(0, 0).next(), new TargetCodec(8), 2);
        INDArray sum = null;
        INDArray velocity = null;
        for (MultiDataSet half : halves) {
            ComputationGraph g = FitGraph.build(bp, loss, ONE_STEP, 1, 1).graph();
            g.fit(half);
            sum = sum == null ? g.params().dup() : sum.addi(g.params());
            velocity = velocity == null ? g.getUpdater().getStateViewArray().dup() : velocity.addi(g.getUpdater().getStateViewArray());
        }
        return new INDArray[] {sum.divi(2), velocity.divi(2)};
    }

    /** Parameters and momentum buffer after one ParallelWrapper round of two workers over the same batch. */
    private static INDArray[] parallelRound(RecipeLoss loss, TrainData data) {
        ComputationGraph g = FitGraph.build(loss.blueprint(), loss, ONE_STEP, 1, 1).graph();
        DataParallelTrainer.train(g, new DetectorBatches(data, new TargetCodec(8), 2, 1), null);
        return new INDArray[] {g.params().dup(), g.getUpdater().getStateViewArray().dup()};
    }

    private static void assertSame(INDArray[] parallel, INDArray[] separate) {
        assertThat(parallel[0].sub(separate[0]).amaxNumber().doubleValue()).as("parameters").isLessThan(1e-6);
        assertThat(parallel[1].sub(separate[1]).amaxNumber().doubleValue()).as("momentum").isLessThan(1e-6);
    }

    @Test
    void oneRoundOfTwoWorkersIsTheAverageOfTwoSeparateSteps() {
        RecipeLoss loss = RecipeLoss.of(TinyModel.spec(), List.of());
        TrainData data = new ToyData(64, 4, 1, 11);
        INDArray[] separate = separateSteps(loss, data);
        assertSame(parallelRound(loss, data), separate);
    }

    @Test
    void theFirstParallelRoundInAFreshGraphIsTheAverageToo() {
        // ParallelWrapper before any other fit: the order in which `rs4j train --workers 2` meets it
        RecipeLoss loss = RecipeLoss.of(TinyModel.spec(), List.of());
        TrainData data = new ToyData(64, 4, 1, 11);
        INDArray[] parallel = parallelRound(loss, data);
        assertSame(parallel, separateSteps(loss, data));
    }

    @Test
    void theWorkersWaitForEachOthersCopyOfTheNetwork() {
        // whether worker 1 copies the network before or after worker 0's first step is a race that only a cold JVM
        // loses; this pins down the barrier itself, which ParallelWrapper's builder silently drops in AVERAGING mode
        RecipeLoss loss = RecipeLoss.of(TinyModel.spec(), List.of());
        ComputationGraph g = FitGraph.build(loss.blueprint(), loss, ONE_STEP, 1, 1).graph();
        assertThat(DataParallelTrainer.wrapper(g, 2).getTrainerContext()).isInstanceOf(SyncedTrainerContext.class);
    }

    private static double mean(double[] v, int from, int to) {
        return Arrays.stream(v, from, to).average().orElseThrow();
    }
}
