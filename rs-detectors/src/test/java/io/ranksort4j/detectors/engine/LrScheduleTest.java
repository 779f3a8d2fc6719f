package io.ranksort4j.detectors.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ParamsBinder;
import org.junit.jupiter.api.Test;

class LrScheduleTest {
    private static ScheduleParams params(String hocon) {
        return ParamsBinder.bindOrThrow(ScheduleParams.class, ConfigFactory.parseString(hocon), "schedule");
    }

    @Test
    void linearWarmupStartsAtTheRatioAndReachesTheBaseRate() {
        LrSchedule s = new LrSchedule(params("lr = 0.01, warmup_iters = 500, warmup_ratio = 0.001"), 100);
        assertThat(s.lr(0)).isCloseTo(0.01 * 0.001, within(1e-15));
        // mmdetection: k = (1 - 250/500) * (1 - 0.001); lr = 0.01 * (1 - k)
        assertThat(s.lr(250)).isCloseTo(0.01 * (1 - 0.5 * 0.999), within(1e-15));
        assertThat(s.lr(500)).isEqualTo(0.01);
    }

    @Test
    void autoScaleLrScalesTheRateToTheBatchAndWarmsUpOverAsManyImages() {
        ScheduleParams paper = params("lr = 0.008, warmup_iters = 500, auto_scale_lr { enable = true, base_batch_size = 16 }");
        ScheduleParams two = paper.forBatch(2);
        assertThat(two.lr()).isCloseTo(0.001, within(1e-15));
        assertThat(two.warmupIters()).isEqualTo(4000);
        assertThat(paper.forBatch(16)).isSameAs(paper);
        assertThat(paper.describeFor(2)).contains("lr 0.001 = schedule.lr 0.008 × 2 / 16", "warm-up 4000 iterations = 500 × 16 / 2");
        ScheduleParams off = params("lr = 0.008, warmup_iters = 500");
        assertThat(off.forBatch(2)).isSameAs(off);
        assertThat(off.describeFor(2)).contains("lr 0.008", "auto_scale_lr off");
    }

    @Test
    void stepPolicyDecaysAtEpochBoundaries() {
        LrSchedule s = new LrSchedule(params("lr = 0.008, warmup = none, steps = [8, 11], max_epochs = 12"), 10);
        assertThat(s.maxIters()).isEqualTo(120);
        assertThat(s.lr(79)).isEqualTo(0.008);
        assertThat(s.lr(80)).isCloseTo(0.0008, within(1e-15));
        assertThat(s.lr(110)).isCloseTo(0.00008, within(1e-15));
    }

    @Test
    void cosinePolicyFallsToTheMinimumOverIterations() {
        LrSchedule s = new LrSchedule(params("lr = 0.02, warmup = none, policy = cosine, max_iters = 100, min_lr_ratio = 0.1"), 7);
        assertThat(s.maxIters()).isEqualTo(100);
        assertThat(s.lr(0)).isCloseTo(0.02, within(1e-15));
        assertThat(s.lr(50)).isCloseTo(0.002 + 0.018 * 0.5, within(1e-15));
        assertThat(s.lr(100)).isCloseTo(0.002, within(1e-15));
    }

    @Test
    void stepsMustIncrease() {
        assertThatThrownBy(() -> params("steps = [11, 8]")).hasMessageContaining("steps must increase");
    }
}
