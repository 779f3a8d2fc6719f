package io.ranksort4j.spark;

import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.engine.TrainData;
import io.ranksort4j.parallel.DetectorBatches;
import io.ranksort4j.parallel.TargetCodec;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Trains a detector network (built by {@code FitGraph}) with DL4J's Spark training: parameter averaging after
 * every iteration over {@code workers} executors' cores, each fitting its own share of the loader's batch and
 * computing the recipe's loss over it. The batches of each epoch are written as serialised MultiDataSets under
 * an export directory (any Hadoop file system: file:// for local runs, hdfs:// or s3a:// on a cluster) and
 * trained from their paths, so the driver never holds a whole epoch and executors read their batches themselves.
 */
public final class SparkTraining {
    private SparkTraining() {}

    /** What a run did: iterations (rounds of all workers), epochs, and DL4J's score after each epoch. */
    public record Result(ComputationGraph graph, int iterations, int epochs, List<Double> epochScores) {}

    /**
     * @param rounds    loader batches to train on (the schedule's iterations)
     * @param exportDir a directory every executor can read, as a Hadoop URI or local path
     */
    public static Result train(JavaSparkContext sc, ComputationGraph graph, TrainData data, TargetCodec codec, int workers, int rounds,
                               String exportDir, long seed, PrintStream console) {
        ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(workers, 1)
                .batchSizePerWorker(1)
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .rngSeed(seed)
                .build();
        SparkComputationGraph spark = new SparkComputationGraph(sc, graph, tm);
        int done = 0;
        int epoch = 0;
        List<Double> scores = new ArrayList<>();
        while (done < rounds) {
            long t0 = System.nanoTime();
            int n = Math.min(rounds - done, data.batchesPerEpoch());
            String dir = exportDir.replaceAll("/+$", "") + "/epoch_" + epoch;
            List<String> paths = export(sc, data.epoch(epoch, 0), n, codec, workers, dir);
            JavaRDD<String> rdd = sc.parallelize(paths, workers);
            spark.fitPathsMultiDataSet(rdd);
            delete(sc, dir);
            done += n;
            epoch++;
            scores.add(spark.getScore());
            console.printf("spark epoch %d: %d/%d iterations, score %.4f, %.1f s%n", epoch, done, rounds, spark.getScore(), (System.nanoTime() - t0) / 1e9);
        }
        return new Result(spark.getNetwork(), done, epoch, scores);
    }

    /** Writes {@code n} loader batches, each cut into one sub-batch per worker; returns their paths. */
    static List<String> export(JavaSparkContext sc, Iterator<DetectionBatch> batches, int n, TargetCodec codec, int workers, String dir) {
        List<String> paths = new ArrayList<>();
        try {
            FileSystem fs = FileSystem.get(URI.create(dir), sc.hadoopConfiguration());
            for (int b = 0; b < n && batches.hasNext(); b++) {
                MultiDataSet[] parts = DetectorBatches.split(batches.next(), codec, workers);
                for (int k = 0; k < parts.length; k++) {
                    Path p = new Path(dir, String.format("batch_%06d_%02d.bin", b, k));
                    try (OutputStream out = fs.create(p, true)) {
                        parts[k].save(out);
                    }
                    paths.add(fs.makeQualified(p).toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training batches to " + dir + ": " + e.getMessage()
                    + "; pass --export-dir on storage the driver can write and every executor can read", e);
        }
        return paths;
    }

    private static void delete(JavaSparkContext sc, String dir) {
        try {
            FileSystem.get(URI.create(dir), sc.hadoopConfiguration()).delete(new Path(dir), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
