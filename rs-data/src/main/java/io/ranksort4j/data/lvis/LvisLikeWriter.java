package io.ranksort4j.data.lvis;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.ranksort4j.data.coco.Frequency;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a file shaped like LVIS v1 train (image, annotation and category counts, polygon sizes, LVIS fields),
 * with random content, for measuring load time and memory without the real 1.1 GB download.
 */
public final class LvisLikeWriter {
    private LvisLikeWriter() {}

    private static int pick(double[] cumulative, double u) {
        int i = java.util.Arrays.binarySearch(cumulative, u);
        return Math.min(cumulative.length - 1, i >= 0 ? i : -i - 1);
    }

    public static void write(Path out, int images, int annotations, int categories, int points, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20);
             JsonGenerator g = new JsonFactory().createGenerator(os, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeObjectFieldStart("info");
            g.writeStringField("description", "LVIS-like synthetic annotations for benchmarks");
            g.writeEndObject();
            g.writeArrayFieldStart("images");
            for (int i = 1; i <= images; i++) {
                g.writeStartObject();
                g.writeNumberField("id", i);
                g.writeStringField("coco_url", String.format("http://images.cocodataset.org/train2017/%012d.jpg", i));
                g.writeNumberField("width", 640);
                g.writeNumberField("height", 480);
                g.writeStringField("date_captured", "2013-11-14 11:18:45");
                g.writeNumberField("license", 1 + r.nextInt(6));
                g.writeArrayFieldStart("neg_category_ids");
                for (int k = r.nextInt(8); k > 0; k--) {
                    g.writeNumber(1 + r.nextInt(categories));
                }
                g.writeEndArray();
                g.writeArrayFieldStart("not_exhaustive_category_ids");
                if (r.nextInt(5) == 0) {
                    g.writeNumber(1 + r.nextInt(categories));
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            // Zipf weights k^-1.65 give about LVIS v1's split of 1203 categories into rare / common / frequent
            // (337 / 461 / 405 there) at its 1.27 M annotations.
            double[] cumulative = new double[categories];
            double sum = 0;
            for (int k = 0; k < categories; k++) {
                sum += Math.pow(k + 1, -1.65);
                cumulative[k] = sum;
            }
            for (int k = 0; k < categories; k++) {
                cumulative[k] /= sum;
            }
            int[] lastImage = new int[categories];
            int[] imageCount = new int[categories];
            int[] instanceCount = new int[categories];
            g.writeArrayFieldStart("annotations");
            for (int a = 1; a <= annotations; a++) {
                double w = 4 + r.nextDouble() * 300;
                double h = 4 + r.nextDouble() * 200;
                double x = r.nextDouble() * (640 - w);
                double y = r.nextDouble() * (480 - h);
                g.writeStartObject();
                g.writeNumberField("area", Math.round(w * h * 0.6 * 100) / 100.0);
                g.writeNumberField("id", a);
                g.writeArrayFieldStart("segmentation");
                g.writeStartArray();
                for (int p = 0; p < points; p++) {
                    double t = 2 * Math.PI * p / points;
                    g.writeNumber(Math.round((x + w / 2 + w / 2 * Math.cos(t)) * 100) / 100.0);
                    g.writeNumber(Math.round((y + h / 2 + h / 2 * Math.sin(t)) * 100) / 100.0);
                }
                g.writeEndArray();
                g.writeEndArray();
                g.writeNumberField("image_id", 1 + (int) ((long) (a - 1) * images / annotations));
                g.writeArrayFieldStart("bbox");
                g.writeNumber(Math.round(x * 100) / 100.0);
                g.writeNumber(Math.round(y * 100) / 100.0);
                g.writeNumber(Math.round(w * 100) / 100.0);
                g.writeNumber(Math.round(h * 100) / 100.0);
                g.writeEndArray();
                int c = pick(cumulative, r.nextDouble());
                int imageId = 1 + (int) ((long) (a - 1) * images / annotations);
                if (lastImage[c] != imageId) {
                    lastImage[c] = imageId;
                    imageCount[c]++;
                }
                instanceCount[c]++;
                g.writeNumberField("category_id", c + 1);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (int c = 1; c <= categories; c++) {
                g.writeStartObject();
                g.writeNumberField("id", c);
                g.writeStringField("name", "category_" + c);
                g.writeStringField("synset", "category_" + c + ".n.01");
                g.writeArrayFieldStart("synonyms");
                g.writeString("category_" + c);
                g.writeEndArray();
                g.writeStringField("def", "a synthetic category used for benchmarks");
                g.writeNumberField("image_count", imageCount[c - 1]);
                g.writeNumberField("instance_count", instanceCount[c - 1]);
                g.writeStringField("frequency", Frequency.ofImageCount(imageCount[c - 1]).code());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
