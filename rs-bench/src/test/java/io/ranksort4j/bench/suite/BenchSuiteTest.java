package io.ranksort4j.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

class BenchSuiteTest {
    /** A real (tiny, in-process) JMH run of the loss suite: each fast loss is reported against the focal pass over the same logits. */
    @Test
    void everyBenchmarkIsReportedAsARatioToItsBaselineWithTheSameParameters() throws Exception {
        List<BenchSuite.Row> rows = BenchSuite.run(new OptionsBuilder().include("RankingLossBenchmark").forks(0)
                .warmupIterations(0).measurementIterations(1).measurementTime(TimeValue.milliseconds(200))
                .param("loss", "rank_sort", "ap").param("logits", "20000").param("positives", "20"));
        assertThat(rows).hasSize(4);
        for (BenchSuite.Row r : rows) {
            assertThat(r.suite()).isEqualTo("RankingLoss");
            assertThat(r.score()).isPositive();
            BenchSuite.Row base = rows.stream().filter(b -> b.benchmark().equals("baselineFocal") && b.params().equals(r.params()))
                    .findFirst().orElseThrow();
            assertThat(r.ratio()).isCloseTo(r.score() / base.score(), within(1e-12));
        }
        assertThat(rows).extracting(BenchSuite.Row::params).containsOnly("logits=20000, loss=ap, positives=20",
                "logits=20000, loss=rank_sort, positives=20");
        assertThat(BenchSuite.markdown(rows)).contains("| RankingLoss | forwardBackward | logits=20000, loss=ap, positives=20 |")
                .contains("| 1.00 |");
    }
}
