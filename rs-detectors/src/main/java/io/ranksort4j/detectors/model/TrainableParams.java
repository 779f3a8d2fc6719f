package io.ranksort4j.detectors.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Masks over a graph's flat parameter vector: which entries the optimiser trains (momentum SGD, weight decay) and
 * which are batch-norm running statistics, whose DL4J "gradient" is the moving-average step to subtract as is.
 */
public record TrainableParams(INDArray trained, INDArray statistics) {

    /** Batch-norm running mean / variance parameters, by DL4J's parameter key. */
    public static boolean isRunningStatistic(String key) {
        return key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev");
    }

    /** Builds the masks; parameters of layers whose name starts with a frozen prefix are neither trained nor moved. */
    public static TrainableParams of(ComputationGraph graph, List<String> frozenPrefixes) {
        INDArray trained = Nd4j.zeros(graph.params().dataType(), graph.numParams());
        INDArray stats = Nd4j.zeros(graph.params().dataType(), graph.numParams());
        long base = graph.params().offset();
        long covered = 0;
        // paramTable()'s order is not the flat vector's (a block's shortcut branch sits elsewhere): place each view by its offset
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            long n = e.getValue().length();
            long offset = e.getValue().offset() - base;
            covered += n;
            String key = e.getKey();
            boolean frozen = frozenPrefixes.stream().anyMatch(key::startsWith);
            if (!frozen) {
                INDArray target = isRunningStatistic(key) ? stats : trained;
                target.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(offset, offset + n)).assign(1);
            }
        }
        if (covered != graph.numParams()) {
            throw new IllegalStateException("parameter table covers " + covered + " of " + graph.numParams() + " parameters");
        }
        return new TrainableParams(trained, stats);
    }
}
