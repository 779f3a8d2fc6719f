package io.ranksort4j.cli.fault;

import io.ranksort4j.cli.Rs4j;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** {@code rs4j} in a process of its own, so that a test can kill it with SIGKILL as a crash or an OOM killer would. */
final class Rs4jProcess implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Rs4jProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    static Rs4jProcess start(Path log, String... args) throws IOException {
        // the oneDNN helpers on, as in the rs4j script and the test JVM: with them off DL4J computes other roundings
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "-Dorg.eclipse.deeplearning4j.helpers.disable=false", "-cp", System.getProperty("java.class.path"), Rs4j.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("MALLOC_ARENA_MAX", "2");
        return new Rs4jProcess(pb.start(), log);
    }

    /** Waits (polling every 10 ms) until {@code ready} holds; fails if the process ends first or after 5 minutes. */
    void awaitOrFail(BooleanSupplier ready, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("rs4j " + (process.isAlive() ? "took over 5 minutes" : "exited with " + process.exitValue())
                        + " before " + what + ":\n" + Files.readString(log));
            }
            Thread.sleep(10);
        }
    }

    /** SIGKILL: no shutdown hook, no finally block, no flush runs. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** Train records in a metrics.jsonl so far (0 when there is no file yet). */
    static long trainRecords(Path metrics) {
        try {
            return Files.isRegularFile(metrics) ? Files.readAllLines(metrics).stream().filter(l -> l.contains("\"train\"")).count() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
