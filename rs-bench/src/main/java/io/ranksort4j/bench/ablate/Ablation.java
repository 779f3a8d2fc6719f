package io.ranksort4j.bench.ablate;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.ranksort4j.core.config.ConfigException;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.core.config.ConfigProblem;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.plot.BarPlot;
import io.ranksort4j.core.plot.LinePlot;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.detectors.engine.Experiment;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs every variant × seed of an ablation (skipping finished runs, resuming interrupted ones), then writes
 * table.md and table.csv (mean ± std over seeds) and charts: AP per variant with its spread, and loss curves.
 */
public final class Ablation {
    /** Columns of the table, in order; those a run does not report are left out. */
    static final List<String> METRICS = List.of("AP", "AP50", "AP75", "APs", "APm", "APl", "oLRP", "APr", "APc", "APf");

    private final AblationParams params;
    private final Path workDir;
    private final Function<List<String>, ComponentRegistry> registry;
    private final PrintStream console;

    public Ablation(Path file, Function<List<String>, ComponentRegistry> registry, PrintStream console) {
        Config c = ConfigLoader.load(file, List.of());
        this.params = ParamsBinder.bindOrThrow(AblationParams.class, c, "");
        this.workDir = params.workDir().isEmpty()
                ? Path.of("work_dirs", "ablations", file.getFileName().toString().replaceFirst("\\.conf$", ""))
                : Path.of(params.workDir());
        this.registry = registry;
        this.console = console;
    }

    public Path workDir() {
        return workDir;
    }

    static String slug(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    /** One training run of the ablation. */
    public record Run(String variant, int seed, Path dir, Experiment experiment) {}

    /**
     * The runs not finished yet, every variant bound and checked first, so a typo in the last variant fails
     * before the first trains; all problems are reported at once, each naming its variant.
     */
    public List<Run> plan() {
        List<Run> todo = new ArrayList<>();
        List<ConfigProblem> problems = new ArrayList<>();
        Path base = Path.of(params.base());
        for (AblationParams.Variant v : params.variants()) {
            for (int seed : params.seeds()) {
                Path dir = workDir.resolve(slug(v.name())).resolve("seed_" + seed);
                if (Files.exists(dir.resolve("final_metrics.json"))) {
                    console.println("done already: " + v.name() + ", seed " + seed);
                    continue;
                }
                List<String> sets = new ArrayList<>(params.overrides());
                sets.addAll(v.set());
                sets.add("runtime.seed = " + seed);
                try {
                    todo.add(new Run(v.name(), seed, dir, Experiment.of(ConfigLoader.load(base, sets), registry, base, dir, console)));
                } catch (ConfigException e) {
                    e.problems().forEach(q -> problems.add(new ConfigProblem(q.location(), "variant '" + v.name() + "': " + q.path(),
                            q.message(), q.hint())));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return todo;
    }

    /** Runs what is not finished yet and writes the table; returns the table's Markdown. */
    public String run() {
        List<Run> todo = plan();
        for (Run r : todo) {
            console.println("== " + r.variant() + ", seed " + r.seed() + " → " + r.dir());
            long t0 = System.nanoTime();
            r.experiment().train(Files.exists(r.dir().resolve("last_checkpoint")), false);
            AtomicFiles.writeString(r.dir().resolve("wall_seconds.txt"), Double.toString((System.nanoTime() - t0) / 1e9));
        }
        return writeTable();
    }

    /** Reads every finished run and writes table.md, table.csv, ap.png and losses.png. */
    String writeTable() {
        List<String> cols = new ArrayList<>();
        List<List<double[]>> rows = new ArrayList<>(); // per variant, per column: values over seeds
        List<double[]> imagesPerSecond = new ArrayList<>();
        List<double[]> trainMinutes = new ArrayList<>();
        List<JsonNode[]> finals = new ArrayList<>();
        for (AblationParams.Variant v : params.variants()) {
            JsonNode[] f = new JsonNode[params.seeds().size()];
            double[] ips = new double[f.length];
            double[] minutes = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                Path dir = workDir.resolve(slug(v.name())).resolve("seed_" + params.seeds().get(i));
                f[i] = read(dir.resolve("final_metrics.json")).get("bbox");
                double[] t = throughput(dir);
                ips[i] = t[0];
                minutes[i] = t[1] / 60;
            }
            finals.add(f);
            imagesPerSecond.add(ips);
            trainMinutes.add(minutes);
        }
        for (String m : METRICS) {
            if (finals.stream().allMatch(f -> f[0].has(m))) {
                cols.add(m);
            }
        }
        for (JsonNode[] f : finals) {
            List<double[]> r = new ArrayList<>();
            for (String m : cols) {
                double[] v = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    v[i] = 100 * f[i].get(m).asDouble();
                }
                r.add(v);
            }
            rows.add(r);
        }
        StringBuilder md = new StringBuilder("| variant | " + String.join(" | ", cols) + " | train min | images/s |\n|---|");
        md.append("---:|".repeat(cols.size() + 2)).append('\n');
        StringBuilder csv = new StringBuilder("variant");
        cols.forEach(c -> csv.append(',').append(c).append("_mean,").append(c).append("_std"));
        csv.append(",train_min_mean,images_per_s_mean\n");
        for (int v = 0; v < rows.size(); v++) {
            String name = params.variants().get(v).name();
            md.append("| ").append(markdownCell(name));
            csv.append(csvField(name));
            for (double[] vals : rows.get(v)) {
                md.append(String.format(Locale.ROOT, " | %.1f ± %.1f", mean(vals), std(vals)));
                csv.append(String.format(Locale.ROOT, ",%.4f,%.4f", mean(vals), std(vals)));
            }
            md.append(String.format(Locale.ROOT, " | %.1f | %.2f |%n", mean(trainMinutes.get(v)), mean(imagesPerSecond.get(v))));
            csv.append(String.format(Locale.ROOT, ",%.3f,%.3f%n", mean(trainMinutes.get(v)), mean(imagesPerSecond.get(v))));
        }
        md.append(String.format(Locale.ROOT, "%nAP columns in percent, mean ± std over seeds %s.%n", params.seeds()));
        AtomicFiles.writeString(workDir.resolve("table.md"), md.toString());
        AtomicFiles.writeString(workDir.resolve("table.csv"), csv.toString());
        charts(rows, cols);
        return md.toString();
    }

    private void charts(List<List<double[]>> rows, List<String> cols) {
        int ap = cols.indexOf("AP");
        if (ap >= 0) {
            BarPlot plot = new BarPlot("AP per variant, mean ± std over seeds " + params.seeds(), "AP (%)");
            for (int v = 0; v < rows.size(); v++) {
                double[] vals = rows.get(v).get(ap);
                plot.add(params.variants().get(v).name(), mean(vals), std(vals));
            }
            plot.write(workDir.resolve("ap.png"), 900);
        }
        LinePlot losses = new LinePlot("training loss, first seed", "iteration", "loss");
        for (AblationParams.Variant v : params.variants()) {
            Path log = workDir.resolve(slug(v.name())).resolve("seed_" + params.seeds().get(0)).resolve("metrics.jsonl");
            List<double[]> pts = new ArrayList<>();
            for (JsonNode rec : lines(log)) {
                if ("train".equals(rec.path("mode").asText())) {
                    pts.add(new double[] {rec.get("iter").asDouble(), rec.get("loss").asDouble()});
                }
            }
            losses.add(v.name(), pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray());
        }
        losses.write(workDir.resolve("losses.png"), 900, 500);
    }

    /** Images per second (median over logged intervals) and training seconds, from a run's metrics.jsonl. */
    private double[] throughput(Path dir) {
        List<Double> perIter = new ArrayList<>();
        double seconds = 0;
        int last = 0;
        int batch = 1;
        for (JsonNode rec : lines(dir.resolve("metrics.jsonl"))) {
            if ("train".equals(rec.path("mode").asText())) {
                perIter.add(rec.get("time").asDouble());
                int iter = rec.get("iter").asInt();
                seconds += rec.get("time").asDouble() * (iter - last);
                last = iter;
            }
        }
        try {
            Config c = ConfigFactory.parseFile(dir.resolve("config.conf").toFile());
            batch = c.getInt("data.train.loader.batch_size");
        } catch (RuntimeException e) {
            // older runs without a resolved config: report per-iteration throughput
        }
        perIter.sort(Double::compare);
        double median = perIter.isEmpty() ? Double.NaN : perIter.get(perIter.size() / 2);
        return new double[] {batch / median, seconds};
    }

    private static List<JsonNode> lines(Path jsonl) {
        List<JsonNode> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(jsonl)) {
                out.add(Json.MAPPER.readTree(l));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jsonl + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static JsonNode read(Path f) {
        try {
            return Json.MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f + " (did this run finish?): " + e.getMessage(), e);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Sample standard deviation (0 for a single seed). */
    static double std(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1));
    }

    /** RFC 4180: the name quoted, its quotes doubled, so commas, quotes and line breaks in a variant name stay one field. */
    static String csvField(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    /** A Markdown table cell: a bar would end the cell, a line break the row. */
    static String markdownCell(String s) {
        return s.replace("|", "\\|").replace('\n', ' ');
    }
}
