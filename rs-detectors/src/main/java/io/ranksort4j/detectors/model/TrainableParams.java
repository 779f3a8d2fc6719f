package io.ranksort4j.detectors.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Which spans of a detector's flat parameter vector the optimiser trains (momentum SGD, weight decay) and which are
 * batch-norm running statistics, whose DL4J "gradient" is the moving-average step to subtract as is. Spans, not
 * parameter-sized masks: at R-50 each mask would be another 216 MB resident beside the parameters.
 *
 * @param length     the flat vector's length
 * @param trained    sorted, disjoint, non-adjacent spans
 * @param statistics sorted, disjoint, non-adjacent spans
 */
public record TrainableParams(long length, List<Span> trained, List<Span> statistics) {

    /** The indices {@code from} (inclusive) to {@code to} (exclusive) of the flat vector. */
    public record Span(long from, long to) {
        public long length() {
            return to - from;
        }
    }

    public TrainableParams {
        trained = merged(trained);
        statistics = merged(statistics);
    }

    /** Batch-norm running mean / variance parameters, by DL4J's parameter key. */
    public static boolean isRunningStatistic(String key) {
        return key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev");
    }

    /** Reads the spans; parameters of layers whose name starts with a frozen prefix are neither trained nor moved. */
    public static TrainableParams of(ComputationGraph graph, List<String> frozenPrefixes) {
        List<Span> trained = new ArrayList<>();
        List<Span> stats = new ArrayList<>();
        long base = graph.params().offset();
        long covered = 0;
        // paramTable()'s order is not the flat vector's (a block's shortcut branch sits elsewhere): place each view by its offset
        for (Map.Entry<String, INDArray> e : graph.paramTable().entrySet()) {
            long n = e.getValue().length();
            long offset = e.getValue().offset() - base;
            covered += n;
            String key = e.getKey();
            if (frozenPrefixes.stream().noneMatch(key::startsWith)) {
                (isRunningStatistic(key) ? stats : trained).add(new Span(offset, offset + n));
            }
        }
        if (covered != graph.numParams()) {
            throw new IllegalStateException("parameter table covers " + covered + " of " + graph.numParams() + " parameters");
        }
        return new TrainableParams(graph.numParams(), trained, stats);
    }

    /** The same spans in a longer vector (what follows is neither trained nor moved). */
    public TrainableParams extendedTo(long newLength) {
        return new TrainableParams(newLength, trained, statistics);
    }

    /** These spans with {@code span} trained as well. */
    public TrainableParams withTrained(Span span) {
        List<Span> t = new ArrayList<>(trained);
        t.add(span);
        return new TrainableParams(length, t, statistics);
    }

    /** These spans with {@code span} taken out of training. */
    public TrainableParams untrained(Span span) {
        List<Span> t = new ArrayList<>();
        for (Span s : trained) {
            if (s.from() < span.from()) {
                t.add(new Span(s.from(), Math.min(s.to(), span.from())));
            }
            if (s.to() > span.to()) {
                t.add(new Span(Math.max(s.from(), span.to()), s.to()));
            }
        }
        return new TrainableParams(length, t, statistics);
    }

    /** The complement of the trained spans: what the optimiser must leave alone. */
    public List<Span> untrainedSpans() {
        List<Span> out = new ArrayList<>();
        long next = 0;
        for (Span s : trained) {
            if (s.from() > next) {
                out.add(new Span(next, s.from()));
            }
            next = s.to();
        }
        if (next < length) {
            out.add(new Span(next, length));
        }
        return out;
    }

    /** The trained spans as a 0/1 vector, to inspect or compare (the optimiser uses the spans). */
    public INDArray trainedMask(DataType type) {
        return mask(trained, type);
    }

    /** The running-statistics spans as a 0/1 vector, to inspect or compare. */
    public INDArray statisticsMask(DataType type) {
        return mask(statistics, type);
    }

    private INDArray mask(List<Span> spans, DataType type) {
        INDArray m = Nd4j.zeros(type, length);
        spans.forEach(s -> m.get(NDArrayIndex.interval(s.from(), s.to())).assign(1));
        return m;
    }

    private static List<Span> merged(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans.stream().filter(s -> s.to() > s.from()).toList());
        sorted.sort(Comparator.comparingLong(Span::from));
        List<Span> out = new ArrayList<>();
        for (Span s : sorted) {
            Span last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && s.from() <= last.to()) {
                out.set(out.size() - 1, new Span(last.from(), Math.max(last.to(), s.to())));
            } else {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
