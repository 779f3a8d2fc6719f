package io.ranksort4j.core.run;

import com.typesafe.config.Config;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What made a run, as a value (written as {@code run.json}): code version, runtime, machine, seed,
 * resolved-config hash and the datasets it read.
 */
public record RunProvenance(
        String command,
        String startedAt,
        String gitCommit,
        String javaVersion,
        String dl4jVersion,
        String nd4jVersion,
        String nd4jBackend,
        String os,
        String cpu,
        int availableProcessors,
        long seed,
        String configHash,
        List<DatasetFingerprint> datasets) {

    /** Collects everything but the datasets' fingerprints, which the caller knows. */
    public static RunProvenance collect(String command, Config config, long seed, List<DatasetFingerprint> datasets) {
        return new RunProvenance(command, Instant.now().toString(), readGitCommit(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                mavenVersion("org.deeplearning4j", "deeplearning4j-nn"), mavenVersion("org.nd4j", "nd4j-api"), detectBackend(),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                cpuModel(), Runtime.getRuntime().availableProcessors(), seed,
                config == null ? "" : ConfigLoader.hash(config), List.copyOf(datasets));
    }

    /** Writes {@code run.json} into the run directory atomically. */
    public void write(Path runDir) {
        Json.write(runDir.resolve("run.json"), this);
    }

    static String mavenVersion(String group, String artifact) {
        String res = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = RunProvenance.class.getResourceAsStream(res)) {
            if (in == null) {
                return "absent";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String detectBackend() {
        try {
            Class<?> nd4j = Class.forName("org.nd4j.linalg.factory.Nd4j");
            Object b = nd4j.getMethod("getBackend").invoke(null);
            return b.getClass().getSimpleName();
        } catch (ReflectiveOperationException | LinkageError e) {
            return "unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String readGitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                Process dirty = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no").redirectErrorStream(true).start();
                boolean isDirty = !new String(dirty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).isBlank();
                dirty.waitFor(5, TimeUnit.SECONDS);
                return isDirty ? out + "-dirty" : out;
            }
        } catch (IOException e) {
            return "unknown (no git)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "unknown (not a git checkout)";
    }

    private static String cpuModel() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall back below
        }
        return System.getProperty("os.arch");
    }
}
