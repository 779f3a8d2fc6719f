package io.ranksort4j.data.synth;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ranksort4j.core.io.AtomicFiles;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.data.coco.Frequency;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The built-in synthetic detection dataset: COCO-format train and val splits of shapes on cluttered
 * backgrounds, under {@code DIR/annotations/instances_{train,val}.json} and {@code DIR/{train,val}/}.
 * The same parameters give the same files; images render in parallel, each from its own seeded stream.
 */
public final class SynthDataset {
    /** Written last; its presence (with matching parameters) means the directory is complete. */
    public static final String MARKER = "synth.json";

    /** Where a generated dataset's files are. */
    public record Layout(Path root) {
        public Path annotations(String split) {
            return root.resolve("annotations").resolve("instances_" + split + ".json");
        }

        public Path images(String split) {
            return root.resolve(split);
        }

        public Path trainAnnotations() {
            return annotations("train");
        }

        public Path valAnnotations() {
            return annotations("val");
        }

        public Path trainImages() {
            return images("train");
        }

        public Path valImages() {
            return images("val");
        }
    }

    private SynthDataset() {}

    /**
     * Generates the dataset into {@code dir} unless a complete one with the same parameters is there already.
     * Generation goes to a sibling temp directory that is moved into place, so a crash or a concurrent
     * process never leaves a half-written dataset behind.
     */
    public static Layout ensure(Path dir, SynthParams p) {
        Path marker = dir.resolve(MARKER);
        String want = Json.pretty(p);
        try {
            if (Files.isRegularFile(marker)) {
                if (Files.readString(marker).equals(want)) {
                    return new Layout(dir);
                }
                throw new IllegalStateException(dir + " holds a synthetic dataset with other parameters ("
                        + marker + "); delete it or choose another directory");
            }
            if (Files.exists(dir) && !isEmptyDir(dir)) {
                throw new IllegalStateException(dir + " exists and is not a synthetic dataset; choose an empty or new directory");
            }
            Path parent = dir.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
            try {
                generate(tmp, p);
                Files.deleteIfExists(dir);
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir);
                }
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
                // Another process finished first; its copy is as good as ours if the parameters match.
                if (!Files.readString(marker).equals(want)) {
                    throw new IllegalStateException(dir + " was written concurrently with other parameters");
                }
            } finally {
                deleteTree(tmp);
            }
            return new Layout(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate synthetic data in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the dataset into {@code dir} (created if needed), overwriting files of the same names. */
    public static Layout generate(Path dir, SynthParams p) {
        double[] cumulative = categoryWeights(p);
        List<List<SynthImage.Instance>> train = writeSplit(dir, "train", 0, p.trainImages(), p, cumulative);
        List<List<SynthImage.Instance>> val = writeSplit(dir, "val", p.trainImages(), p.valImages(), p, cumulative);
        int[] trainImageCounts = imageCounts(train, p.categories());
        writeJson(dir, "train", 0, train, p, trainImageCounts);
        writeJson(dir, "val", p.trainImages(), val, p, trainImageCounts);
        AtomicFiles.writeString(dir.resolve(MARKER), Json.pretty(p));
        return new Layout(dir);
    }

    /** Cumulative category weights: uniform, or Zipf with exponent 2 for {@code longTail} (gives rare categories). */
    static double[] categoryWeights(SynthParams p) {
        double[] c = new double[p.categories()];
        double s = 0;
        for (int k = 0; k < c.length; k++) {
            s += p.longTail() ? 1.0 / ((k + 1.0) * (k + 1.0)) : 1.0;
            c[k] = s;
        }
        return c;
    }

    private static SplittableRandom rng(long seed, int globalIndex) {
        // Each image draws from its own stream, so parallel rendering cannot change what any image looks like.
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + globalIndex * 0xBF58476D1CE4E5B9L + 1);
    }

    private static String fileName(int globalIndex, SynthParams p) {
        return String.format("%012d.%s", globalIndex + 1, p.format());
    }

    private static List<List<SynthImage.Instance>> writeSplit(Path dir, String split, int offset, int n, SynthParams p, double[] w) {
        Path out = dir.resolve(split);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return IntStream.range(0, n).parallel().mapToObj(i -> {
            SynthImage.Result r = SynthImage.render(p, w, rng(p.seed(), offset + i));
            writeImage(r.image(), out.resolve(fileName(offset + i, p)), p.format());
            return r.instances();
        }).toList();
    }

    static void writeImage(BufferedImage img, Path file, String format) {
        try (OutputStream os = Files.newOutputStream(file); ImageOutputStream ios = ImageIO.createImageOutputStream(os)) {
            ImageWriter writer = ImageIO.getImageWritersByFormatName(format.equals("jpg") ? "jpeg" : "png").next();
            try {
                ImageWriteParam param = writer.getDefaultWriteParam();
                if (format.equals("jpg")) {
                    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                    param.setCompressionQuality(0.92f);
                }
                writer.setOutput(ios);
                writer.write(null, new IIOImage(img, null, null), param);
            } finally {
                writer.dispose();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static int[] imageCounts(List<List<SynthImage.Instance>> split, int k) {
        int[] counts = new int[k];
        for (List<SynthImage.Instance> im : split) {
            im.stream().mapToInt(SynthImage.Instance::label).distinct().forEach(l -> counts[l]++);
        }
        return counts;
    }

    private static void writeJson(Path dir, String split, int offset, List<List<SynthImage.Instance>> images, SynthParams p, int[] trainImageCounts) {
        int size = p.size();
        AtomicFiles.write(dir.resolve("annotations").resolve("instances_" + split + ".json"), os -> {
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeObjectFieldStart("info");
                g.writeStringField("description", "RankSort4j synthetic shapes (" + split + ")");
                g.writeStringField("parameters", Json.pretty(p).replaceAll("\\s+", " "));
                g.writeEndObject();
                g.writeArrayFieldStart("licenses");
                g.writeStartObject();
                g.writeNumberField("id", 1);
                g.writeStringField("name", "CC0 1.0 (generated data)");
                g.writeEndObject();
                g.writeEndArray();
                g.writeArrayFieldStart("images");
                for (int i = 0; i < images.size(); i++) {
                    int gi = offset + i;
                    g.writeStartObject();
                    g.writeNumberField("id", gi + 1);
                    g.writeStringField("file_name", fileName(gi, p));
                    g.writeNumberField("width", size);
                    g.writeNumberField("height", size);
                    g.writeNumberField("license", 1);
                    if (p.longTail()) {
                        writeLvisImageFields(g, images.get(i), p, gi);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeArrayFieldStart("annotations");
                long annId = offset * (long) (p.maxObjects() + 2) + 1;
                for (int i = 0; i < images.size(); i++) {
                    for (SynthImage.Instance in : images.get(i)) {
                        g.writeStartObject();
                        g.writeNumberField("id", annId++);
                        g.writeNumberField("image_id", offset + i + 1);
                        g.writeNumberField("category_id", in.label() + 1);
                        g.writeArrayFieldStart("bbox");
                        for (double v : new double[] {in.x(), in.y(), in.w(), in.h()}) {
                            g.writeNumber(Math.round(v * 100) / 100.0);
                        }
                        g.writeEndArray();
                        g.writeNumberField("area", Math.round(in.area() * 100) / 100.0);
                        g.writeNumberField("iscrowd", in.crowd() ? 1 : 0);
                        g.writeFieldName("segmentation");
                        if (in.crowd()) {
                            g.writeStartObject();
                            g.writeFieldName("counts");
                            g.writeArray(in.rle(), 0, in.rle().length);
                            g.writeFieldName("size");
                            g.writeArray(new int[] {size, size}, 0, 2);
                            g.writeEndObject();
                        } else {
                            g.writeStartArray();
                            for (float[] poly : in.polygons()) {
                                g.writeStartArray();
                                for (float v : poly) {
                                    g.writeNumber(v);
                                }
                                g.writeEndArray();
                            }
                            g.writeEndArray();
                        }
                        g.writeEndObject();
                    }
                }
                g.writeEndArray();
                g.writeArrayFieldStart("categories");
                for (int k = 0; k < p.categories(); k++) {
                    g.writeStartObject();
                    g.writeNumberField("id", k + 1);
                    g.writeStringField("name", Shapes.name(k));
                    g.writeStringField("supercategory", Shapes.KINDS[Shapes.kind(k)]);
                    if (p.longTail()) {
                        g.writeStringField("frequency", Frequency.ofImageCount(trainImageCounts[k]).code());
                        g.writeNumberField("image_count", trainImageCounts[k]);
                    }
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        });
    }

    private static void writeLvisImageFields(JsonGenerator g, List<SynthImage.Instance> instances, SynthParams p, int gi) throws IOException {
        // Negative and not-exhaustive lists come from their own stream so that they do not disturb rendering.
        SplittableRandom r = rng(p.seed() ^ 0x5DEECE66DL, gi);
        TreeSet<Integer> present = new TreeSet<>();
        instances.forEach(in -> present.add(in.label() + 1));
        List<Integer> absent = new ArrayList<>();
        for (int c = 1; c <= p.categories(); c++) {
            if (!present.contains(c)) {
                absent.add(c);
            }
        }
        g.writeArrayFieldStart("neg_category_ids");
        int negs = Math.min(absent.size(), 1 + r.nextInt(3));
        TreeSet<Integer> chosen = new TreeSet<>();
        while (chosen.size() < negs) {
            chosen.add(absent.get(r.nextInt(absent.size())));
        }
        for (int c : chosen) {
            g.writeNumber(c);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("not_exhaustive_category_ids");
        if (!present.isEmpty() && r.nextDouble() < 0.1) {
            g.writeNumber(new ArrayList<>(present).get(r.nextInt(present.size())));
        }
        g.writeEndArray();
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
