package io.ranksort4j.eval.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ranksort4j.eval.data.Segmentation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Token-level helpers shared by the streaming readers (no tree is ever built). */
final class Streams {
    // NaN and Infinity parse (Python's json.dump writes them), so the validators can name the field that holds one
    static final JsonFactory FACTORY = JsonFactory.builder().enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private Streams() {}

    /** A buffered stream of the file, gunzipped when its name ends in {@code .gz}. */
    static java.io.InputStream open(java.nio.file.Path file) throws IOException {
        java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
        return file.getFileName().toString().endsWith(".gz") ? new java.util.zip.GZIPInputStream(in, 1 << 16) : in;
    }

    /** Thrown for a malformed value; the reader adds file and entry. */
    static final class BadValue extends Exception {
        BadValue(String msg) {
            super(msg);
        }
    }

    static double number(JsonParser p, String field) throws IOException, BadValue {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (!Double.isFinite(d)) {
                throw new BadValue(field + " is " + d + "; it must be a finite number");
            }
            return d;
        }
        if (t == JsonToken.VALUE_TRUE) {
            return 1;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return 0;
        }
        throw new BadValue("'" + field + "' must be a number, got " + describe(p));
    }

    static long id(JsonParser p, String field) throws IOException, BadValue {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            double d = p.getDoubleValue();
            if (d == Math.rint(d)) {
                return (long) d;
            }
        }
        throw new BadValue("'" + field + "' must be an integer id, got " + describe(p));
    }

    static String describe(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "the string \"" + p.getText() + "\"";
            case VALUE_NULL -> "null";
            default -> p.getText();
        };
    }

    static double[] numbers(JsonParser p, String field) throws IOException, BadValue {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadValue("'" + field + "' must be a list of numbers, got " + describe(p));
        }
        double[] out = new double[8];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = number(p, field);
        }
        return Arrays.copyOf(out, n);
    }

    static long[] ids(JsonParser p, String field) throws IOException, BadValue {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadValue("'" + field + "' must be a list of ids, got " + describe(p));
        }
        long[] out = new long[8];
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = id(p, field);
        }
        return Arrays.copyOf(out, n);
    }

    /** Polygons (list of lists) or an RLE object with list or string counts. */
    static Segmentation segmentation(JsonParser p) throws IOException, BadValue {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            List<double[]> parts = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                parts.add(numbers(p, "segmentation"));
            }
            return new Segmentation.Polygons(parts.toArray(new double[0][]));
        }
        if (t == JsonToken.START_OBJECT) {
            int[] size = null;
            String str = null;
            int[] counts = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "size" -> {
                        double[] s = numbers(p, "segmentation.size");
                        if (s.length != 2) {
                            throw new BadValue("'segmentation.size' must be [height, width]");
                        }
                        size = new int[] {(int) s[0], (int) s[1]};
                    }
                    case "counts" -> {
                        if (p.currentToken() == JsonToken.VALUE_STRING) {
                            str = p.getText();
                        } else {
                            double[] c = numbers(p, "segmentation.counts");
                            counts = new int[c.length];
                            for (int i = 0; i < c.length; i++) {
                                counts[i] = (int) (long) c[i];
                            }
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (size == null || (str == null && counts == null)) {
                throw new BadValue("an RLE 'segmentation' needs 'size' and 'counts'");
            }
            return str != null ? new Segmentation.RleString(size[0], size[1], str) : new Segmentation.RleCounts(size[0], size[1], counts);
        }
        throw new BadValue("'segmentation' must be polygons or an RLE object, got " + describe(p));
    }
}
