package io.ranksort4j.cli.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.plot.BarPlot;
import io.ranksort4j.core.plot.LinePlot;
import io.ranksort4j.core.run.MetricsLog;
import io.ranksort4j.eval.coco.CocoEval;
import io.ranksort4j.eval.coco.CocoResult;
import io.ranksort4j.eval.coco.IouType;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.GroundTruthReader;
import io.ranksort4j.eval.json.ResultsReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j analyze}: look at finished or running runs (mmdetection's analyze_logs.py, per-class AP). */
@Command(name = "analyze", mixinStandardHelpOptions = true, description = "Compare runs' curves; per-class AP of a run.",
        subcommands = {AnalyzeCommand.Curves.class, AnalyzeCommand.PerClass.class})
public final class AnalyzeCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Overlays the chosen keys of several runs' metrics.jsonl in one PNG. */
    @Command(name = "curves", mixinStandardHelpOptions = true,
            description = "Plot keys of several runs' metrics.jsonl (train keys such as loss, loss_bbox, lr; eval metrics such as AP) in one PNG.")
    static final class Curves implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories (each holds metrics.jsonl).")
        List<Path> runs;

        @Option(names = "--keys", split = ",", defaultValue = "loss", paramLabel = "K[,K...]", description = "Keys to plot (default: ${DEFAULT-VALUE}).")
        List<String> keys;

        @Option(names = "--out", required = true, paramLabel = "FILE.png")
        Path out;

        @Override
        public Integer call() {
            LinePlot plot = new LinePlot(String.join(", ", keys), "iteration", keys.size() == 1 ? keys.get(0) : "value");
            List<String> missing = new ArrayList<>();
            for (Path run : runs) {
                Path jsonl = run.resolve("metrics.jsonl");
                if (!Files.isRegularFile(jsonl)) {
                    throw new IllegalArgumentException(run + " holds no metrics.jsonl; give run directories (work_dirs/NAME)");
                }
                MetricsLog log = MetricsLog.read(jsonl);
                for (String k : keys) {
                    double[][] c = log.curve(k);
                    if (c == null) {
                        missing.add(run + ": " + k);
                    } else {
                        plot.add(runs.size() == 1 ? k : run.getFileName() + (keys.size() == 1 ? "" : ": " + k), c[0], c[1]);
                    }
                }
            }
            if (plot.isEmpty()) {
                throw new IllegalArgumentException("none of the keys " + keys + " is in these runs' metrics.jsonl; train keys are e.g. loss, "
                        + "loss_bbox, lr, grad_norm; evaluation keys (runtime.eval_interval > 0) e.g. AP, AP50");
            }
            plot.write(out, 1000, 560);
            missing.forEach(m -> System.out.println("not logged: " + m));
            System.out.println("curves written to " + out);
            return 0;
        }
    }

    /** Per-category AP of a finished run, from its results file, as a table and a bar chart. */
    @Command(name = "per-class", mixinStandardHelpOptions = true,
            description = "Per-category AP (COCO) of a finished run from its final_metrics.json's results and annotation files; table and bar chart.")
    static final class PerClass implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "RUN_DIR")
        Path run;

        @Option(names = "--out", paramLabel = "FILE.png", description = "Bar chart (default: RUN_DIR/per_class_ap.png).")
        Path out;

        @Override
        public Integer call() throws IOException {
            Path fin = run.resolve("final_metrics.json");
            if (!Files.isRegularFile(fin)) {
                throw new IllegalArgumentException(run + " holds no final_metrics.json; the run has not finished (rs4j train or rs4j test writes it)");
            }
            JsonNode f = Json.MAPPER.readTree(fin.toFile());
            GroundTruth gt = GroundTruthReader.read(Path.of(f.get("ann_file").asText()));
            CocoResult r = CocoEval.evaluate(gt, ResultsReader.read(Path.of(f.get("results_file").asText()), gt, false),
                    CocoEval.Params.defaults(IouType.BBOX));
            BarPlot bars = new BarPlot("per-class box AP: " + run.getFileName(), "AP (%)");
            System.out.printf("%-28s %6s %6s %6s%n", "category", "AP", "AP50", "AP75");
            for (CocoResult.CategoryRow row : r.perCategory()) {
                String name = gt.categories().stream().filter(c -> c.id() == row.categoryId()).findFirst()
                        .map(c -> c.name() == null ? Long.toString(c.id()) : c.name()).orElse(Long.toString(row.categoryId()));
                System.out.printf(Locale.ROOT, "%-28s %6.1f %6.1f %6.1f%n", name, 100 * row.ap(), 100 * row.ap50(), 100 * row.ap75());
                bars.add(name, Double.isNaN(row.ap()) || row.ap() < 0 ? 0 : 100 * row.ap(), 0);
            }
            Path png = out != null ? out : run.resolve("per_class_ap.png");
            bars.write(png, 900);
            System.out.println("bar chart written to " + png);
            return 0;
        }
    }
}
