package io.ranksort4j.bench.loss;

import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.core.loss.rank.AlrpParams;
import io.ranksort4j.core.loss.rank.AlrpReference;
import io.ranksort4j.core.loss.rank.ApLoss;
import io.ranksort4j.core.loss.rank.ApReference;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.core.loss.rank.RankSortReference;
import java.util.Arrays;

/** Times a ranking loss's fast and definitional forward+backward on a {@link LossBenchCase} (median of runs after warm-up). */
public final class LossTimer {
    /** Medians in milliseconds; the reference median is NaN when it was skipped. */
    public record Timing(String loss, int logits, int positives, int threads, double medianMs, double referenceMedianMs) {}

    private LossTimer() {}

    public static Timing time(String loss, int logits, int positives, int runs, boolean withReference) {
        LossBenchCase c = LossBenchCase.generate(logits, positives, 42);
        Runnable fast = fast(loss, c);
        double fastMs = median(fast, 3, runs);
        double refMs = Double.NaN;
        if (withReference) {
            Runnable ref = reference(loss, c);
            refMs = median(ref, 1, Math.max(1, Math.min(3, runs)));
        }
        return new Timing(loss, logits, positives, Runtime.getRuntime().availableProcessors(), fastMs, refMs);
    }

    static Runnable fast(String loss, LossBenchCase c) {
        switch (loss) {
            case "rank_sort": {
                ClassificationLoss l = new RankSortLoss(0.5, 1e-10);
                return () -> l.compute(c.logits(), c.iouTargets());
            }
            case "ap": {
                ClassificationLoss l = new ApLoss(1.0);
                return () -> l.compute(c.logits(), c.binaryTargets());
            }
            case "alrp": {
                AlrpLoss l = new AlrpLoss(new AlrpParams(1.0, 1e-5, 50, "epoch"));
                float[] e = regression(c);
                return () -> l.compute(c.logits(), c.binaryTargets(), e);
            }
            default:
                throw new IllegalArgumentException("bench loss: '" + loss + "' is not a ranking loss; choose rank_sort, ap or alrp");
        }
    }

    static Runnable reference(String loss, LossBenchCase c) {
        double[] s = toDouble(c.logits());
        switch (loss) {
            case "rank_sort": {
                double[] t = toDouble(c.iouTargets());
                return () -> new RankSortReference(0.5, 1e-10).compute(s, t);
            }
            case "ap": {
                double[] t = toDouble(c.binaryTargets());
                return () -> new ApReference(1.0).compute(s, t);
            }
            default: {
                double[] t = toDouble(c.binaryTargets());
                double[] e = toDouble(regression(c));
                return () -> new AlrpReference(1.0, 1e-5).compute(s, t, e);
            }
        }
    }

    private static float[] regression(LossBenchCase c) {
        int p = 0;
        for (float t : c.binaryTargets()) {
            if (t == 1) {
                p++;
            }
        }
        float[] e = new float[p];
        for (int i = 0; i < p; i++) {
            e[i] = (float) ((i * 0.618) % 2);
        }
        return e;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static double median(Runnable r, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) {
            r.run();
        }
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(t);
        return runs % 2 == 1 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    }
}
