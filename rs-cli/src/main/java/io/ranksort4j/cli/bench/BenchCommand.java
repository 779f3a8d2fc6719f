package io.ranksort4j.cli.bench;

import io.ranksort4j.bench.loss.LossTimer;
import io.ranksort4j.bench.suite.BenchSuite;
import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rs4j bench}: the JMH suites as one table; {@code rs4j bench loss|train}: single quick timings. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run the JMH suites (losses, evaluation, data loader, training step) and print one table of scores and ratios "
                + "to each suite's in-process baseline. Run from the repository root.",
        subcommands = {BenchCommand.LossBench.class, TrainBench.class})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Short warm-up and measurement, losses at M = 1e6, P = 2000 only (a few minutes).")
    boolean quick;

    @Option(names = "--include", defaultValue = BenchSuite.ALL, paramLabel = "REGEX",
            description = "Only benchmarks whose name matches, e.g. 'TrainStep|Evaluation'.")
    String include;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the Markdown table to FILE.")
    Path out;

    @Override
    public Integer call() throws Exception {
        String table = BenchSuite.markdown(BenchSuite.run(quick, include));
        System.out.println();
        System.out.print(table);
        if (out != null) {
            AtomicFiles.writeString(out, table);
        }
        return 0;
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
