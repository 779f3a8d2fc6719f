package io.ranksort4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.ranksort4j.detectors.engine.ToyData;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.engine.ScheduleParams;
import io.ranksort4j.parallel.DetectorBatches;
import io.ranksort4j.parallel.FitGraph;
import io.ranksort4j.parallel.RecipeLoss;
import io.ranksort4j.parallel.TargetCodec;
import io.ranksort4j.parallel.TinyModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class SparkTrainingTest {
    @TempDir
    Path dir;

    /** Mean recipe loss of a network over fixed batches (batch-norm on batch statistics, as in training). */
    private static double meanLoss(ComputationGraph g, List<MultiDataSet> data) {
        return data.stream().mapToDouble(m -> g.score(m, true)).average().orElseThrow();
    }

    @Test
    void parameterAveragingOnLocalTwoTrainsTheDetector() {
        int rounds = 8;
        ScheduleParams s = TinyModel.schedule("lr = 0.02, momentum = 0.9, weight_decay = 0, grad_clip = 35, warmup = none, policy = fixed, max_iters = " + rounds);
        RecipeLoss loss = RecipeLoss.of(TinyModel.spec(), List.of());
        ToyData data = new ToyData(64, 4, 4, 11);
        FitGraph.Built net = FitGraph.build(loss.blueprint(), loss, s, data.batchesPerEpoch(), 1);
        INDArray start = net.graph().params().dup();
        TargetCodec codec = new TargetCodec(8);
        List<MultiDataSet> eval = new ArrayList<>();
        data.epoch(0, 0).forEachRemaining((DetectionBatch b) -> eval.add(DetectorBatches.split(b, codec, 1)[0]));
        double before = meanLoss(net.graph(), eval);

        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("rs4j-test").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        SparkTraining.Result r;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            r = SparkTraining.train(sc, net.graph(), data, codec, 2, rounds, dir.resolve("batches").toUri().toString(), 1, new PrintStream(log));
        }
        ComputationGraph trained = r.graph();
        double after = meanLoss(trained, eval);
        System.out.println(log + "loss before " + before + " after " + after);

        assertThat(r.iterations()).isEqualTo(rounds);
        assertThat(r.epochs()).isEqualTo(2);
        // DL4J counted one update per averaging round: the schedule saw every iteration
        assertThat(trained.getConfiguration().getIterationCount()).isEqualTo(rounds);
        assertThat(trained.params().sub(start).norm2Number().doubleValue()).isGreaterThan(0);
        // the recipe's loss on the training batches fell
        assertThat(after).isLessThan(before * 0.95);
        // the exported batches are cleaned up
        assertThat(dir.resolve("batches").toFile().listFiles()).isNullOrEmpty();
    }
}
