package io.ranksort4j.cli.bench;

import io.ranksort4j.bench.loss.LossTimer;
import io.ranksort4j.core.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rs4j bench ...}: quick timings of the framework's hot paths. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (JMH suites live in rs-bench).",
        subcommands = {BenchCommand.LossBench.class, TrainBench.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Times a ranking loss, fast and definitional, on a realistic early-training batch. */
    @Command(name = "loss", mixinStandardHelpOptions = true, description = "Time a ranking loss's fast and definitional forward+backward.")
    static final class LossBench implements Callable<Integer> {
        @Option(names = "--loss", defaultValue = "rank_sort", description = "rank_sort, ap or alrp.")
        String loss;

        @Option(names = "--logits", defaultValue = "1000000", description = "M, the number of logits.")
        int logits;

        @Option(names = "--positives", defaultValue = "2000", description = "P, the number of positives.")
        int positives;

        @Option(names = "--runs", defaultValue = "11", description = "Timed runs of the fast form (the reference runs at most 3).")
        int runs;

        @Option(names = "--no-reference", description = "Skip the O(P·N) definitional form (slow at large M).")
        boolean noReference;

        @Option(names = "--json", paramLabel = "FILE", description = "Also write the result as JSON.")
        Path json;

        @Override
        public Integer call() {
            LossTimer.Timing t = LossTimer.time(loss, logits, positives, runs, !noReference);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("loss", t.loss());
            out.put("median_ms", t.medianMs());
            out.put("reference_median_ms", Double.isNaN(t.referenceMedianMs()) ? null : t.referenceMedianMs());
            out.put("logits", t.logits());
            out.put("positives", t.positives());
            out.put("threads", t.threads());
            System.out.println(Json.pretty(out));
            if (json != null) {
                Json.write(json, out);
            }
            return 0;
        }
    }
}
