package io.ranksort4j.cli.data;

import io.ranksort4j.core.io.Json;
import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.CocoReader;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.DatasetStats;
import io.ranksort4j.data.coco.ImageInfo;
import io.ranksort4j.data.coco.ReadOptions;
import io.ranksort4j.data.sampler.RepeatFactors;
import io.ranksort4j.data.synth.SynthDataset;
import io.ranksort4j.data.synth.SynthParams;
import io.ranksort4j.data.transform.DecodedImage;
import io.ranksort4j.data.transform.ImageDecoder;
import io.ranksort4j.data.transform.Masks;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rs4j data ...}: generate the synthetic dataset, summarise annotation files, repeat factors, drawings. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Datasets: synthetic data, statistics, repeat factors, drawings.",
        subcommands = {DataCommand.Synth.class, DataCommand.Stats.class, DataCommand.Rfs.class, DataCommand.Show.class,
                DataCommand.Bench.class, DataCommand.LvisLike.class})
public final class DataCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    static Dataset read(Path ann, boolean lenient) {
        long t0 = System.nanoTime();
        Dataset d = CocoReader.read(ann, lenient ? ReadOptions.LENIENT : ReadOptions.STRICT);
        System.err.printf("read %s in %.2f s%s%n", ann, (System.nanoTime() - t0) / 1e9,
                d.skippedAnnotations() > 0 ? " (" + d.skippedAnnotations() + " bad annotations skipped)" : "");
        return d;
    }

    /** Generates the synthetic shapes dataset. */
    @Command(name = "synth", mixinStandardHelpOptions = true, description = "Write the synthetic COCO-format shapes dataset (train and val splits).")
    static final class Synth implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (must be new, empty, or hold the same dataset).")
        Path out;

        @Option(names = "--images", defaultValue = "800", description = "Training images (default ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--val-images", description = "Validation images (default: images / 8).")
        Integer valImages;

        @Option(names = "--categories", defaultValue = "5", description = "Categories, each a shape in a colour (default ${DEFAULT-VALUE}).")
        int categories;

        @Option(names = "--size", defaultValue = "320", description = "Image side in pixels (default ${DEFAULT-VALUE}).")
        int size;

        @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--long-tail", description = "Long-tailed category frequencies; writes LVIS fields.")
        boolean longTail;

        @Option(names = "--format", defaultValue = "jpg", description = "jpg or png (default ${DEFAULT-VALUE}).")
        String format;

        @Override
        public Integer call() {
            SynthParams d = SynthParams.defaults();
            SynthParams p = new SynthParams(images, valImages == null ? Math.max(1, images / 8) : valImages, categories, size, seed, longTail,
                    d.minObjects(), d.maxObjects(), d.minScale(), d.maxScale(), d.crowdFraction(), format);
            long t0 = System.nanoTime();
            boolean existed = Files.isRegularFile(out.resolve(SynthDataset.MARKER));
            SynthDataset.Layout l = SynthDataset.ensure(out, p);
            System.out.printf("%s %d train + %d val images, %d categories, %d px, seed %d%s in %.1f s%n",
                    existed ? "already present:" : "wrote", p.trainImages(), p.valImages(), p.categories(), p.size(), p.seed(),
                    longTail ? ", long-tailed (LVIS fields)" : "", (System.nanoTime() - t0) / 1e9);
            System.out.println("  " + l.trainAnnotations() + "\n  " + l.valAnnotations() + "\n  " + l.trainImages() + "/\n  " + l.valImages() + "/");
            return 0;
        }
    }

    /** Prints dataset statistics. */
    @Command(name = "stats", mixinStandardHelpOptions = true, description = "Images, annotations, categories, frequency groups and box sizes of an annotation file.")
    static final class Stats implements Callable<Integer> {
        @Option(names = "--ann", required = true, paramLabel = "FILE", description = "COCO or LVIS instances JSON.")
        Path ann;

        @Option(names = "--lenient", description = "Skip and count bad annotations instead of failing.")
        boolean lenient;

        @Option(names = "--json", paramLabel = "OUT", description = "Also write the statistics as JSON.")
        Path json;

        @Option(names = "--memory", description = "Also print the heap the loaded dataset occupies.")
        boolean memory;

        @Override
        public Integer call() {
            Dataset d = read(ann, lenient);
            if (memory) {
                System.gc();
                Runtime rt = Runtime.getRuntime();
                System.err.printf("heap in use after loading (after a GC): %.0f MB%n", (rt.totalMemory() - rt.freeMemory()) / 1e6);
            }
            DatasetStats s = DatasetStats.of(d);
            System.out.println(ann + " (" + d.flavour() + ")");
            System.out.print(s.render());
            if (json != null) {
                Json.write(json, s);
            }
            return 0;
        }
    }

    /** Prints the repeat-factor histogram. */
    @Command(name = "rfs", mixinStandardHelpOptions = true, description = "Repeat factors r(I) of LVIS repeat-factor sampling: histogram and epoch lengths.")
    static final class Rfs implements Callable<Integer> {
        @Option(names = "--ann", required = true, paramLabel = "FILE", description = "COCO or LVIS instances JSON.")
        Path ann;

        @Option(names = "--threshold", defaultValue = "0.001", description = "Frequency threshold t (default ${DEFAULT-VALUE}).")
        double threshold;

        @Option(names = "--no-sqrt", description = "r(c) = max(1, t/f(c)) instead of max(1, sqrt(t/f(c))).")
        boolean noSqrt;

        @Option(names = "--json", paramLabel = "OUT", description = "Write {\"<image_id>\": factor} for every image.")
        Path json;

        @Override
        public Integer call() {
            Dataset d = read(ann, false);
            double[] r = RepeatFactors.imageFactors(d, threshold, !noSqrt);
            double[] edges = {1, 1.0000001, 1.5, 2, 3, 5, 10, Double.POSITIVE_INFINITY};
            String[] names = {"= 1", "(1, 1.5)", "[1.5, 2)", "[2, 3)", "[3, 5)", "[5, 10)", "≥ 10"};
            int[] hist = new int[names.length];
            double sum = 0;
            long ceil = 0;
            double max = 1;
            for (double v : r) {
                sum += v;
                ceil += (long) Math.ceil(v);
                max = Math.max(max, v);
                for (int b = 0; b < names.length; b++) {
                    if (v < edges[b + 1]) {
                        hist[b]++;
                        break;
                    }
                }
            }
            System.out.printf("repeat factors, t = %s%s, %d images%n", threshold, noSqrt ? " (no sqrt)" : "", r.length);
            int peak = java.util.Arrays.stream(hist).max().orElse(1);
            for (int b = 0; b < names.length; b++) {
                System.out.printf("  r %-10s %8d  %s%n", names[b], hist[b], "#".repeat((int) Math.ceil(40.0 * hist[b] / Math.max(1, peak))));
            }
            System.out.printf("max r = %.3f; epoch length: stochastic (expected) %.1f, ceil %d, plain %d%n", max, sum, ceil, r.length);
            if (json != null) {
                Map<String, Double> out = new LinkedHashMap<>();
                for (int i = 0; i < r.length; i++) {
                    out.put(Long.toString(d.image(i).id()), r[i]);
                }
                io.ranksort4j.core.io.AtomicFiles.write(json, os -> new com.fasterxml.jackson.databind.ObjectMapper().writeValue(
                        new java.io.FilterOutputStream(os) {
                            @Override
                            public void close() {
                                // AtomicFiles closes it
                            }
                        }, out));
            }
            return 0;
        }
    }

    /** Draws annotations onto images. */
    @Command(name = "show", mixinStandardHelpOptions = true, description = "Draw boxes and masks of annotated images to PNG files.")
    static final class Show implements Callable<Integer> {
        @Option(names = "--ann", required = true, paramLabel = "FILE", description = "COCO or LVIS instances JSON.")
        Path ann;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder the images' file names are relative to.")
        Path images;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the PNGs.")
        Path out;

        @Option(names = "--limit", defaultValue = "20", description = "Images to draw (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() throws Exception {
            Dataset d = read(ann, false).withImageRoot(images);
            Files.createDirectories(out);
            int n = Math.min(limit, d.size());
            for (int i = 0; i < n; i++) {
                ImageInfo im = d.image(i);
                BufferedImage img = draw(d, im);
                Path f = out.resolve(im.id() + ".png");
                ImageIO.write(img, "png", f.toFile());
            }
            System.out.printf("drew %d images to %s%n", n, out);
            return 0;
        }

        static BufferedImage draw(Dataset d, ImageInfo im) {
            DecodedImage src = ImageDecoder.decode(d.imagePath(im));
            int w = src.width();
            int h = src.height();
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            byte[] rgb = src.rgb();
            for (int p = 0; p < w * h; p++) {
                img.setRGB(p % w, p / w, (rgb[3 * p] & 0xff) << 16 | (rgb[3 * p + 1] & 0xff) << 8 | (rgb[3 * p + 2] & 0xff));
            }
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.max(10, Math.min(w, h) / 40)));
            for (Annotation a : d.annotations(im.id())) {
                int label = d.labelOf(a.categoryId());
                Color c = Color.getHSBColor((label * 0.618034f) % 1f, 0.85f, 1f);
                if (a.segmentation() != null) {
                    byte[] m = Masks.toBitmap(a.segmentation(), w, h, w, h);
                    int tint = c.getRGB() & 0xffffff;
                    for (int p = 0; p < m.length; p++) {
                        if (m[p] != 0) {
                            int o = img.getRGB(p % w, p / w);
                            img.setRGB(p % w, p / w, blend(o, tint));
                        }
                    }
                }
                g.setColor(c);
                g.setStroke(a.iscrowd() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f)
                        : new BasicStroke(2f));
                g.draw(new Rectangle2D.Double(a.x(), a.y(), a.w(), a.h()));
                String text = d.categories().get(label).name() + (a.iscrowd() ? " (crowd)" : "");
                g.drawString(text, (float) a.x() + 2, (float) Math.max(g.getFont().getSize(), a.y() - 2));
            }
            g.dispose();
            return img;
        }

        private static int blend(int a, int b) {
            int r = (((a >> 16) & 0xff) + ((b >> 16) & 0xff)) / 2;
            int gg = (((a >> 8) & 0xff) + ((b >> 8) & 0xff)) / 2;
            int bb = ((a & 0xff) + (b & 0xff)) / 2;
            return r << 16 | gg << 8 | bb;
        }
    }

    /** Loader and decoder throughput. */
    @Command(name = "bench", mixinStandardHelpOptions = true, description = "Loader images/s (decode + resize + flip + normalise + collate) and decode-only images/s.")
    static final class Bench implements Callable<Integer> {
        @Option(names = "--ann", required = true, paramLabel = "FILE", description = "COCO or LVIS instances JSON.")
        Path ann;

        @Option(names = "--images", required = true, paramLabel = "DIR", description = "Image folder.")
        Path images;

        @Option(names = "--scale", split = ";", defaultValue = "1333,800;320,320", description = "Scales as LONG,SHORT separated by ';' (default ${DEFAULT-VALUE}).")
        java.util.List<String> scales;

        @Option(names = "--workers", split = ",", defaultValue = "1,2", description = "Worker counts (default ${DEFAULT-VALUE}).")
        java.util.List<Integer> workers;

        @Option(names = "--batch-size", defaultValue = "2", description = "Images per batch (default ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--count", defaultValue = "200", description = "Images timed per configuration (default ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--repeats", defaultValue = "1", description = "Runs per configuration; the table shows the best and the median (default ${DEFAULT-VALUE}).")
        int repeats;

        @Option(names = "--json", paramLabel = "OUT", description = "Also write the results as JSON.")
        Path json;

        @Override
        public Integer call() {
            Dataset d = read(ann, false).withImageRoot(images).filterEmptyGt();
            java.util.List<double[]> rates = new java.util.ArrayList<>();
            java.util.List<io.ranksort4j.data.loader.LoaderBenchmark.Result> results = new java.util.ArrayList<>();
            java.util.List<java.util.function.Supplier<io.ranksort4j.data.loader.LoaderBenchmark.Result>> runs = new java.util.ArrayList<>();
            runs.add(() -> io.ranksort4j.data.loader.LoaderBenchmark.decode(d, count, false));
            if (!io.ranksort4j.data.transform.ImageDecoder.backend().equals("imageio")) {
                runs.add(() -> io.ranksort4j.data.loader.LoaderBenchmark.decode(d, count, true));
            }
            for (String sc : scales) {
                String[] le = sc.split(",");
                for (int w : workers) {
                    runs.add(() -> io.ranksort4j.data.loader.LoaderBenchmark.loader(d, Integer.parseInt(le[0].trim()), Integer.parseInt(le[1].trim()),
                            w, batchSize, count, Math.min(count, 20)));
                }
            }
            for (var run : runs) {
                double[] r = new double[repeats];
                io.ranksort4j.data.loader.LoaderBenchmark.Result last = null;
                for (int k = 0; k < repeats; k++) {
                    last = run.get();
                    r[k] = last.imagesPerSecond();
                }
                java.util.Arrays.sort(r);
                results.add(last);
                rates.add(r);
            }
            System.out.printf("%-60s %9s %8s %7s %8s %8s%n", "what", "scale", "workers", "images", "best/s", "median/s");
            for (int i = 0; i < results.size(); i++) {
                var r = results.get(i);
                double[] v = rates.get(i);
                System.out.printf("%-60s %9s %8d %7d %8.1f %8.1f%n", r.what(), r.longEdge() == 0 ? "-" : r.longEdge() + "x" + r.shortEdge(),
                        r.workers(), r.images(), v[v.length - 1], v[v.length / 2]);
            }
            if (json != null) {
                Json.write(json, results);
            }
            return 0;
        }
    }

    /** Writes a large LVIS-like annotation file for load-time benchmarks. */
    @Command(name = "lvis-like", mixinStandardHelpOptions = true, description = "Write a synthetic LVIS-v1-like annotation file (for load benchmarks).")
    static final class LvisLike implements Callable<Integer> {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output JSON file.")
        Path out;

        @Option(names = "--images", defaultValue = "100170", description = "Images (LVIS v1 train has ${DEFAULT-VALUE}).")
        int images;

        @Option(names = "--annotations", defaultValue = "1270141", description = "Annotations (LVIS v1 train has ${DEFAULT-VALUE}).")
        int annotations;

        @Option(names = "--points", defaultValue = "48", description = "Polygon vertices per annotation (default ${DEFAULT-VALUE}).")
        int points;

        @Override
        public Integer call() throws Exception {
            long t0 = System.nanoTime();
            io.ranksort4j.data.lvis.LvisLikeWriter.write(out, images, annotations, 1203, points, 1);
            System.out.printf("wrote %s (%.1f MB) in %.1f s%n", out, Files.size(out) / 1e6, (System.nanoTime() - t0) / 1e9);
            return 0;
        }
    }
}
