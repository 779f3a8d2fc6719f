package io.ranksort4j.spark;

import io.ranksort4j.detectors.engine.LoaderTrainData;
import io.ranksort4j.parallel.FitGraph;
import io.ranksort4j.parallel.ParallelExperiment;
import io.ranksort4j.parallel.TargetCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The spark-submit entry point: trains a config's detector with DL4J's Spark training, then writes the checkpoint
 * and evaluates it on the driver as {@code rs4j train} does.
 */
@Command(name = "spark-train", mixinStandardHelpOptions = true,
        description = "Train a detector from a config with DL4J's Spark training (parameter averaging), then evaluate it.")
public final class SparkTrain implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Run directory on the driver (default: runtime.work_dir or work_dirs/<config name>).")
    Path workDir;

    @Option(names = "--module", paramLabel = "CLASS", description = "A Guice module registering components (repeatable); ship its jar with --jars.")
    List<String> modules = new ArrayList<>();

    @Option(names = "--workers", paramLabel = "N",
            description = "Workers sharing each batch (default: Spark's default parallelism, i.e. executors × cores).")
    Integer workers;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master when not run by spark-submit, e.g. local[2].")
    String master;

    @Option(names = "--export-dir", paramLabel = "URI",
            description = "Where each epoch's batches are written for the executors: shared storage (hdfs://, s3a://) on a cluster (default: <work dir>/spark_batches).")
    String exportDir;

    @Option(names = "--max-boxes", paramLabel = "N", description = "Ground-truth boxes per image carried in the labels (default: 128).")
    int maxBoxes = TargetCodec.DEFAULT_CAPACITY;

    @Override
    public Integer call() {
        ParallelExperiment pe = ParallelExperiment.load(config, overrides, workDir, modules, System.out);
        SparkConf conf = new SparkConf().setAppName("rs4j " + config.getFileName());
        if (master != null) {
            conf.setMaster(master);
        }
        conf.setIfMissing("spark.ui.enabled", "false");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            int w = workers != null ? workers : sc.defaultParallelism();
            LoaderTrainData data = pe.trainData();
            int rounds = pe.rounds(data);
            FitGraph.Built net = pe.network(data);
            String export = exportDir != null ? exportDir : pe.experiment().workDir().resolve("spark_batches").toUri().toString();
            System.out.printf("training with DL4J Spark parameter averaging on %s: %d workers sharing each batch, %d parameters, %d iterations%n",
                    sc.master(), w, net.graph().numParams(), rounds);
            SparkTraining.Result r = SparkTraining.train(sc, net.graph(), data, new TargetCodec(maxBoxes), w, rounds, export,
                    pe.experiment().params().runtime().seed(), System.out);
            pe.finish(r.graph(), r.iterations(), r.epochs());
        }
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrain()).execute(args));
    }
}
