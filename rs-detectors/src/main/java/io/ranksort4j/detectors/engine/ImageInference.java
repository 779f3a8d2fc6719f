package io.ranksort4j.detectors.engine;

import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.plot.DetectionPainter;
import io.ranksort4j.data.DataSpec;
import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.Category;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ImageInfo;
import io.ranksort4j.data.loader.DataLoader;
import io.ranksort4j.data.sampler.SequentialSampler;
import io.ranksort4j.data.transform.DecodedImage;
import io.ranksort4j.data.transform.ImageDecoder;
import io.ranksort4j.data.transform.Masks;
import io.ranksort4j.data.transform.Pipeline;
import io.ranksort4j.detectors.model.Detector;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.mask.Rle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs a trained detector on image files that have no annotations ({@code rs4j infer}) and draws detections, alone or
 * beside the ground truth ({@code rs4j test --show-dir}).
 *
 * <p>The images become an in-memory {@link Dataset} without annotations, carrying the training split's categories, and
 * go through the same {@link DataLoader}, val {@link Pipeline} and {@link Inference#run} as evaluation: so the resize,
 * normalisation, padding and mapping back to original pixels are exactly those the metrics were measured with, and
 * there is no second preprocessing path to drift from the first.
 */
public final class ImageInference {
    /** File name endings taken from an images folder. */
    public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

    /** An image that could not be read, and why. */
    public record Skipped(Path file, String reason) {}

    /** What a run wrote: how many images were run, which were skipped, the detection count and the output files. */
    public record Result(int images, List<Skipped> skipped, int detections, Path outDir, Path resultsFile, Path imagesFile) {}

    private ImageInference() {}

    /** The image itself, or a folder's .jpg/.jpeg/.png files (not its subfolders) sorted by name. */
    public static List<Path> listImages(Path images) {
        if (Files.isRegularFile(images)) {
            return List.of(images);
        }
        if (!Files.isDirectory(images)) {
            throw new IllegalArgumentException("--images " + images + ": no such file or folder; give an image file or a folder of images");
        }
        List<Path> out;
        try (Stream<Path> s = Files.list(images)) {
            out = s.filter(Files::isRegularFile).filter(p -> hasImageExtension(p)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list --images " + images + ": " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--images " + images + ": no " + String.join(", ", EXTENSIONS) + " file in this folder");
        }
        return out;
    }

    private static boolean hasImageExtension(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /**
     * Detects objects in {@code files} and writes into {@code out}: results.json (COCO results: boxes in original pixels,
     * category ids of {@code classes}), results.segm.json for mask models, images.json (image id → file, size; the
     * categories; the skipped files) and one drawn copy per image under its own file name with detections scoring at
     * least {@code scoreThr}. Unreadable files are reported on {@code console} and skipped.
     *
     * @param classes the training split: its categories name the labels and give their ids
     * @param val     the config's val data section, whose transform and loader settings the images go through
     */
    public static Result run(Detector detector, List<Integer> inputSize, Dataset classes, DataSpec val, List<Path> files, Path out,
                             double scoreThr, PrintStream console) {
        refuseOverwritingInputs(files, out);
        List<ImageInfo> infos = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            try {
                // A full decode, not a header read: the pipeline needs each size up front, and only decoding finds
                // truncated or corrupt data, which would otherwise stop the loader half-way through the folder.
                DecodedImage d = ImageDecoder.decode(f);
                // ids are 1-based positions in the sorted list, so a skipped file leaves a gap rather than renumbering the rest
                infos.add(new ImageInfo(i + 1, f.toAbsolutePath().toString(), d.width(), d.height()));
            } catch (RuntimeException e) {
                skipped.add(new Skipped(f, reason(e, f)));
                console.println("skipped " + f + ": " + reason(e, f));
            }
        }
        if (infos.isEmpty()) {
            throw new IllegalArgumentException("none of the " + files.size() + " image file(s) could be read (see the lines above); "
                    + "check --images");
        }
        Dataset ds = Dataset.of(infos, classes.categories(), List.of());
        DataLoader loader = new DataLoader(ds, new SequentialSampler(), new Pipeline(val.transform()), val.loader().withShard(0, 1));
        List<Detection> dets;
        try (ImageProgress p = new ImageProgress(console, System.console() != null, "infer", infos.size())) {
            dets = Inference.run(detector, loader, inputSize, p::update);
        }
        Path results = out.resolve("results.json");
        Inference.writeResults(results, dets);
        boolean masks = dets.stream().anyMatch(d -> d.segmentation() != null);
        if (masks) {
            Inference.writeSegmResults(out.resolve("results.segm.json"), dets);
        }
        Path imagesFile = out.resolve("images.json");
        Json.write(imagesFile, imagesJson(infos, classes, skipped));
        Map<Long, List<Detection>> byImage = byImage(dets);
        for (ImageInfo im : infos) {
            Path file = Path.of(im.fileName());
            BufferedImage img = toImage(ImageDecoder.decode(file));
            List<DetectionPainter.Item> items = predictionItems(byImage.getOrDefault(im.id(), List.of()), classes, scoreThr, img.getWidth(), img.getHeight());
            DetectionPainter.write(out.resolve(file.getFileName().toString()), DetectionPainter.paint(img, items));
        }
        return new Result(infos.size(), List.copyOf(skipped), dets.size(), out, results, imagesFile);
    }

    /** The drawings are named after the images: written into the images' own folder they would replace them. */
    private static void refuseOverwritingInputs(List<Path> files, Path out) {
        for (Path f : files) {
            Path parent = f.toAbsolutePath().getParent();
            try {
                if (Files.isDirectory(out) && Files.isSameFile(parent, out)) {
                    throw new IllegalArgumentException("--out " + out + " is the folder of the images: the drawings would replace them; "
                            + "choose another --out");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compare --out " + out + " with " + parent + ": " + e.getMessage(), e);
            }
        }
    }

    /** The loader's message already names the file; the line names it once. */
    private static String reason(RuntimeException e, Path f) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String prefix = "cannot load image " + f + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static Map<String, Object> imagesJson(List<ImageInfo> infos, Dataset classes, List<Skipped> skipped) {
        List<Map<String, Object>> images = new ArrayList<>();
        for (ImageInfo im : infos) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", im.id());
            r.put("file_name", Path.of(im.fileName()).getFileName().toString());
            r.put("path", im.fileName());
            r.put("width", im.width());
            r.put("height", im.height());
            images.add(r);
        }
        List<Map<String, Object>> cats = new ArrayList<>();
        for (Category c : classes.categories()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", c.id());
            r.put("name", c.name());
            cats.add(r);
        }
        List<Map<String, Object>> bad = new ArrayList<>();
        for (Skipped s : skipped) {
            bad.add(Map.of("file", s.file().toString(), "reason", s.reason()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("images", images);
        out.put("categories", cats);
        out.put("skipped", bad);
        return out;
    }

    /**
     * For {@code rs4j test --show-dir}: per image of {@code val}, the ground truth (left) beside the predictions scoring at
     * least {@code scoreThr} (right), under the image's file name in {@code dir}. Masks are drawn on both sides when the
     * detector predicts them. Returns the number of images written; unreadable ones are reported and skipped.
     */
    public static int drawComparisons(Dataset val, List<Detection> dets, Path dir, double scoreThr, PrintStream console) {
        boolean masks = dets.stream().anyMatch(d -> d.segmentation() != null);
        Map<Long, List<Detection>> byImage = byImage(dets);
        int written = 0;
        for (ImageInfo im : val.images()) {
            Path file = val.imagePath(im);
            BufferedImage img;
            try {
                img = toImage(ImageDecoder.decode(file));
            } catch (RuntimeException e) {
                console.println("--show-dir: skipped " + file + ": " + reason(e, file));
                continue;
            }
            BufferedImage gt = DetectionPainter.paint(img, groundTruthItems(val, im, masks, img.getWidth(), img.getHeight()));
            BufferedImage pred = DetectionPainter.paint(img, predictionItems(byImage.getOrDefault(im.id(), List.of()), val, scoreThr,
                    img.getWidth(), img.getHeight()));
            String title = String.format(Locale.ROOT, "predictions (score >= %.2f)", scoreThr);
            DetectionPainter.write(dir.resolve(file.getFileName().toString()), DetectionPainter.sideBySide(List.of("ground truth", title), List.of(gt, pred)));
            written++;
        }
        return written;
    }

    private static Map<Long, List<Detection>> byImage(List<Detection> dets) {
        Map<Long, List<Detection>> m = new HashMap<>();
        for (Detection d : dets) {
            m.computeIfAbsent(d.imageId(), k -> new ArrayList<>()).add(d);
        }
        return m;
    }

    /** Detections at or above the threshold, lowest score first so the most confident boxes and labels end up on top. */
    static List<DetectionPainter.Item> predictionItems(List<Detection> dets, Dataset classes, double scoreThr, int w, int h) {
        List<Detection> kept = new ArrayList<>(dets.stream().filter(d -> d.score() >= scoreThr).toList());
        kept.sort((a, b) -> Double.compare(a.score(), b.score()));
        List<DetectionPainter.Item> items = new ArrayList<>();
        for (Detection d : kept) {
            int label = classes.labelOf(d.categoryId());
            double[] b = d.bbox();
            String text = String.format(Locale.ROOT, "%s %.2f", classes.categories().get(label).name(), d.score());
            boolean[] mask = d.segmentation() == null ? null : rowMajor(d.segmentation().toRle(h, w), w, h);
            items.add(new DetectionPainter.Item(b[0], b[1], b[0] + b[2], b[1] + b[3], label, text, mask));
        }
        return items;
    }

    /** An image's annotations (crowd regions left out: the metrics ignore them) with their class names. */
    private static List<DetectionPainter.Item> groundTruthItems(Dataset ds, ImageInfo im, boolean masks, int w, int h) {
        List<DetectionPainter.Item> items = new ArrayList<>();
        for (Annotation a : ds.annotations(im.id())) {
            if (a.iscrowd()) {
                continue;
            }
            int label = ds.labelOf(a.categoryId());
            boolean[] mask = null;
            if (masks && a.segmentation() != null) {
                byte[] m = Masks.toBitmap(a.segmentation(), im.width(), im.height(), w, h);
                mask = new boolean[m.length];
                for (int i = 0; i < m.length; i++) {
                    mask[i] = m[i] != 0;
                }
            }
            items.add(new DetectionPainter.Item(a.x(), a.y(), a.x2(), a.y2(), label, ds.categories().get(label).name(), mask));
        }
        return items;
    }

    /** COCO RLEs run down columns; the painter wants rows. A mask of another size than the image is not drawn. */
    private static boolean[] rowMajor(Rle rle, int w, int h) {
        if (rle.w() != w || rle.h() != h) {
            return null;
        }
        boolean[] col = rle.decode();
        boolean[] row = new boolean[w * h];
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                row[y * w + x] = col[x * h + y];
            }
        }
        return row;
    }

    /** The decoded RGB bytes as an image Java2D can draw on. */
    static BufferedImage toImage(DecodedImage d) {
        BufferedImage img = new BufferedImage(d.width(), d.height(), BufferedImage.TYPE_INT_RGB);
        byte[] rgb = d.rgb();
        int[] row = new int[d.width()];
        for (int y = 0; y < d.height(); y++) {
            for (int x = 0; x < d.width(); x++) {
                int o = (y * d.width() + x) * 3;
                row[x] = (rgb[o] & 0xFF) << 16 | (rgb[o + 1] & 0xFF) << 8 | (rgb[o + 2] & 0xFF);
            }
            img.setRGB(0, y, d.width(), 1, row, 0, d.width());
        }
        return img;
    }
}
