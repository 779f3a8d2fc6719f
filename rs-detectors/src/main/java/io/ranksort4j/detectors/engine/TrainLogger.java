package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.run.TensorBoardWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Training progress in mmdetection's shape: a console line per log interval (iteration / max, ETA, lr,
 * every loss term, time, data_time, memory), a progress bar on a terminal, and {@code metrics.jsonl}; the same numbers
 * as TensorBoard scalars ({@code events.out.tfevents.*} beside metrics.jsonl, {@code train/<key>} and {@code val/<key>}
 * against the 1-based iteration) so that {@code tensorboard --logdir work_dirs} plots runs while they train.
 */
public final class TrainLogger implements AutoCloseable {
    /** Record keys that place a record rather than measure anything: not plotted. */
    private static final Set<String> NOT_SCALARS = Set.of("mode", "epoch", "iter", "max_iters", "eta_s");

    private final PrintStream console;
    private final boolean bar;
    private final BufferedWriter jsonl;
    private final TensorBoardWriter events;
    private final Map<String, Double> sums = new TreeMap<>();
    private int count;
    private double timeSum;
    private double dataTimeSum;
    private final long startNanos = System.nanoTime();
    private int firstIter = -1;

    /**
     * {@code resumeIter}: the number of iterations already done (0 for a new run). The log keeps its records up to
     * there and drops the rest: what an interrupted run logged after its last checkpoint is redone and logged again.
     * TensorBoard events go to a new file; a resumed run's file tells TensorBoard to drop the old files' points past
     * {@code resumeIter} (a new run removes the old files, as it empties metrics.jsonl).
     */
    public TrainLogger(Path metricsFile, PrintStream console, boolean progressBar, int resumeIter) {
        this.console = console;
        this.bar = progressBar;
        try {
            Files.createDirectories(metricsFile.toAbsolutePath().getParent());
            StringBuilder kept = new StringBuilder();
            if (resumeIter > 0 && Files.isRegularFile(metricsFile)) {
                for (String line : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
                    if (recordIter(line) <= resumeIter) {
                        kept.append(line).append('\n');
                    }
                }
            }
            AtomicFiles.writeString(metricsFile, kept.toString());
            this.jsonl = Files.newBufferedWriter(metricsFile, StandardCharsets.UTF_8, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + metricsFile + ": " + e.getMessage(), e);
        }
        Path runDir = metricsFile.toAbsolutePath().getParent();
        try {
            if (resumeIter <= 0) {
                TensorBoardWriter.deleteEventFiles(runDir);
            }
            this.events = TensorBoardWriter.open(runDir, resumeIter > 0 ? resumeIter + 1 : 0);
        } catch (RuntimeException e) {
            try {
                jsonl.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Every numeric field of the record as a TensorBoard scalar {@code <mode>/<key>} at its iteration. */
    private void plot(Map<String, Object> rec) {
        Map<String, Number> scalars = new LinkedHashMap<>();
        rec.forEach((k, v) -> {
            if (!NOT_SCALARS.contains(k) && v instanceof Number n) {
                scalars.put(rec.get("mode") + "/" + k, n);
            }
        });
        events.scalars(((Number) rec.get("iter")).longValue(), scalars);
    }

    /** A record's 1-based iteration; a line cut short by a kill counts as past any resume point. */
    private static int recordIter(String line) {
        try {
            return Json.MAPPER.readTree(line).path("iter").asInt(Integer.MAX_VALUE);
        } catch (IOException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** Records one iteration's losses and timings (seconds). */
    public void iteration(int iter, int maxIters, Map<String, Double> losses, double time, double dataTime) {
        if (firstIter < 0) {
            firstIter = iter;
        }
        losses.forEach((k, v) -> sums.merge(k, v, Double::sum));
        timeSum += time;
        dataTimeSum += dataTime;
        count++;
        if (bar) {
            double loss = losses.getOrDefault("loss", Double.NaN);
            console.print(String.format(Locale.ROOT, "\r%s %d/%d  eta %s  loss %.4f ", progress(iter + 1, maxIters), iter + 1,
                    maxIters, Eta.format(eta(iter, maxIters)), loss));
            console.flush();
        }
    }

    /** Writes the averages since the last log as a console line and a JSON line, then resets them. */
    public void log(int epoch, int iter, int maxIters, double lr) {
        if (count == 0) {
            return;
        }
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("mode", "train");
        rec.put("epoch", epoch + 1);
        rec.put("iter", iter + 1);
        rec.put("max_iters", maxIters);
        rec.put("lr", lr);
        rec.put("eta_s", Math.round(eta(iter, maxIters)));
        rec.put("time", timeSum / count);
        rec.put("data_time", dataTimeSum / count);
        rec.put("memory_mb", memoryMb());
        sums.forEach((k, v) -> rec.put(k, v / count));
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch [%d] Iter [%d/%d]  lr: %.3e, eta: %s, time: %.3f, data_time: %.3f, memory: %d",
                epoch + 1, iter + 1, maxIters, lr, Eta.format(eta(iter, maxIters)), timeSum / count, dataTimeSum / count, memoryMb()));
        sums.forEach((k, v) -> line.append(String.format(Locale.ROOT, ", %s: %.4f", k, v / count)));
        if (bar) {
            console.print("\r\033[K");
        }
        console.println(line);
        write(rec);
        sums.clear();
        count = 0;
        timeSum = 0;
        dataTimeSum = 0;
    }

    /** Writes a validation record (metrics after an evaluation) to the JSON-lines log. */
    public void val(int epoch, int iter, Map<String, Double> metrics) {
        Map<String, Object> rec = new LinkedHashMap<>();
        rec.put("mode", "val");
        rec.put("epoch", epoch + 1);
        rec.put("iter", iter + 1);
        rec.putAll(new TreeMap<>(metrics));
        write(rec);
    }

    private void write(Map<String, Object> rec) {
        try {
            jsonl.write(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT).writeValueAsString(rec));
            jsonl.newLine();
            jsonl.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics.jsonl: " + e.getMessage(), e);
        }
        plot(rec);
    }

    private double eta(int iter, int maxIters) {
        int done = iter + 1 - firstIter;
        if (done <= 0) {
            return Double.NaN;
        }
        double perIter = (System.nanoTime() - startNanos) / 1e9 / done;
        return perIter * (maxIters - iter - 1);
    }

    static String progress(int done, int total) {
        int width = 30;
        int filled = (int) Math.round((double) done / total * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }

    /** Resident memory of the process in MB (heap and ND4J's off-heap arrays both count). */
    static long memoryMb() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) {
                    return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back to the heap
        }
        Runtime rt = Runtime.getRuntime();
        return (rt.totalMemory() - rt.freeMemory()) >> 20;
    }

    @Override
    public void close() {
        if (bar) {
            console.print("\r\033[K");
        }
        try (TensorBoardWriter closing = events) {
            jsonl.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
