package io.ranksort4j.data.coco;

import io.ranksort4j.core.io.IoErrors;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.ranksort4j.core.mask.RleString;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads COCO and LVIS v1 instance files by streaming tokens (no tree), so a 1 GB LVIS file costs only the
 * records it yields. Every problem names the file, the JSON path and what was expected.
 */
public final class CocoReader {
    // Polygon coordinates are most of a 1 GB LVIS file; the fast parser makes number parsing ~3x cheaper.
    private static final JsonFactory FACTORY = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
    private static final int KEEP_REASONS = 20;

    private CocoReader() {}

    /** Reads a COCO or LVIS file, telling them apart by the categories' {@code frequency} field. */
    public static Dataset read(Path file, ReadOptions options) {
        return new Run(file, options, null).read();
    }

    /** Reads a COCO or LVIS file strictly. */
    public static Dataset read(Path file) {
        return read(file, ReadOptions.STRICT);
    }

    /** Reads a file that must follow {@code flavour} (LVIS requires {@code frequency} on every category). */
    public static Dataset read(Path file, ReadOptions options, Dataset.Flavour flavour) {
        return new Run(file, options, flavour).read();
    }

    /** Thrown inside a single annotation; lenient mode catches it, skips the annotation and counts it. */
    private static final class BadRecord extends RuntimeException {
        final DatasetFormatException error;

        BadRecord(DatasetFormatException error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    private static final class Run {
        private final Path file;
        private final ReadOptions options;
        private final Dataset.Flavour required;
        private JsonParser p;
        private final List<ImageInfo> images = new ArrayList<>();
        private final List<Annotation> annotations = new ArrayList<>();
        private int[] annotationIndex = new int[1024];
        private final List<Category> categories = new ArrayList<>();
        private final List<String> reasons = new ArrayList<>();
        private int skipped;
        private boolean sawFrequency;
        private int annotationsSeen;
        private float[] buf = new float[256];

        Run(Path file, ReadOptions options, Dataset.Flavour required) {
            this.file = file;
            this.options = options;
            this.required = required;
        }

        Dataset read() {
            try (InputStream in = Files.newInputStream(file); JsonParser parser = FACTORY.createParser(in)) {
                this.p = parser;
                parseTop();
            } catch (NoSuchFileException e) {
                throw new UncheckedIOException("annotation file not found: " + file, e);
            } catch (JsonProcessingException e) {
                throw new DatasetFormatException(file, pathOrRoot(), "well-formed, complete JSON",
                        e.getOriginalMessage().lines().findFirst().orElse("") + " " + where(e.getLocation()), e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + IoErrors.reason(e), e);
            }
            return validate();
        }

        private String pathOrRoot() {
            try {
                return toJsonPath(p.getParsingContext().pathAsPointer().toString());
            } catch (RuntimeException e) {
                return "$";
            }
        }

        private void parseTop() throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error("a JSON object with 'images', 'annotations' and 'categories'");
            }
            boolean sawImages = false;
            boolean sawAnnotations = false;
            boolean sawCategories = false;
            while (next() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                next();
                switch (name) {
                    case "images" -> {
                        sawImages = true;
                        readArray(this::readImage);
                    }
                    case "annotations" -> {
                        sawAnnotations = true;
                        readArray(this::readAnnotationGuarded);
                    }
                    case "categories" -> {
                        sawCategories = true;
                        readArray(this::readCategory);
                    }
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT) {
                throw error("a field name or '}'");
            }
            String missing = !sawImages ? "images" : !sawAnnotations ? "annotations" : !sawCategories ? "categories" : null;
            if (missing != null) {
                throw new DatasetFormatException(file, "$", "field '" + missing + "'", "no such field", null);
            }
        }

        /** Reads the next token, turning end of input into a truncation error. */
        private JsonToken next() throws IOException {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new DatasetFormatException(file, pathOrRoot(), "more JSON", "end of file (truncated?) " + where(p.currentLocation()), null);
            }
            return t;
        }

        private interface Item {
            void read() throws IOException;
        }

        private void readArray(Item item) throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw error("an array");
            }
            while (next() != JsonToken.END_ARRAY) {
                item.read();
            }
        }

        private DatasetFormatException error(String expected) {
            return new DatasetFormatException(file, pathOrRoot(), expected, found(), null);
        }

        private String found() {
            JsonToken t = p.currentToken();
            if (t == null) {
                return "nothing";
            }
            String s = switch (t) {
                case START_OBJECT -> "an object";
                case START_ARRAY -> "an array";
                case VALUE_STRING -> "string " + quoted();
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number " + quoted();
                case VALUE_TRUE, VALUE_FALSE -> "boolean";
                case VALUE_NULL -> "null";
                case END_ARRAY -> "end of array";
                case END_OBJECT -> "end of object";
                default -> t.toString();
            };
            return s + " " + where(p.currentTokenLocation());
        }

        private String quoted() {
            try {
                String s = p.getText();
                return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
            } catch (IOException e) {
                return "";
            }
        }

        private static String where(JsonLocation loc) {
            return loc == null ? "" : "(line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }

        private BadRecord bad(String expected) {
            return new BadRecord(error(expected));
        }

        private long longValue() throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                double d = p.getDoubleValue();
                if (d == Math.rint(d)) {
                    return (long) d;
                }
            }
            throw bad("an integer");
        }

        private double doubleValue() throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getDoubleValue();
            }
            throw bad("a number");
        }

        private float floatValue() throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT || p.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
                return p.getFloatValue();
            }
            throw bad("a number");
        }

        private String stringValue() throws IOException {
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                return p.getText();
            }
            throw bad("a string");
        }

        private List<Long> longList() throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw bad("an array of integers");
            }
            List<Long> out = new ArrayList<>();
            while (next() != JsonToken.END_ARRAY) {
                out.add(longValue());
            }
            return out;
        }

        private void readImage() throws IOException {
            try {
                readImageFields();
            } catch (BadRecord b) {
                throw b.error;
            }
        }

        private void readImageFields() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad("an image object");
            }
            Long id = null;
            Integer width = null;
            Integer height = null;
            String fileName = null;
            String url = null;
            List<Long> neg = List.of();
            List<Long> notEx = List.of();
            while (next() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                next();
                switch (name) {
                    case "id" -> id = longValue();
                    case "width" -> width = positiveInt();
                    case "height" -> height = positiveInt();
                    case "file_name" -> fileName = stringValue();
                    case "coco_url" -> url = p.currentToken() == JsonToken.VALUE_NULL ? null : stringValue();
                    case "neg_category_ids" -> neg = longList();
                    case "not_exhaustive_category_ids" -> notEx = longList();
                    default -> p.skipChildren();
                }
            }
            if (fileName == null && url != null) {
                // LVIS v1 gives only the COCO URL; as mmdetection, the path after the host ("train2017/x.jpg")
                // is relative to the COCO root, since LVIS val mixes COCO train2017 and val2017 images.
                fileName = url.replaceFirst("^[A-Za-z]+://[^/]+/", "");
            }
            String missing = id == null ? "id" : width == null ? "width" : height == null ? "height"
                    : fileName == null ? "file_name (or coco_url)" : null;
            if (missing != null) {
                throw new DatasetFormatException(file, pathOrRoot(), "field '" + missing + "'", "no such field", null);
            }
            images.add(new ImageInfo(id, fileName, width, height, neg, notEx));
        }

        private int positiveInt() throws IOException {
            long v = longValue();
            if (v <= 0 || v > Integer.MAX_VALUE) {
                throw bad("a positive integer");
            }
            return (int) v;
        }

        private void readCategory() throws IOException {
            try {
                readCategoryFields();
            } catch (BadRecord b) {
                throw b.error;
            }
        }

        private void readCategoryFields() throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad("a category object");
            }
            Long id = null;
            String name = null;
            String superCat = null;
            Frequency freq = null;
            int imageCount = -1;
            while (next() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                next();
                switch (field) {
                    case "id" -> id = longValue();
                    case "name" -> name = stringValue();
                    case "supercategory" -> superCat = stringValue();
                    case "frequency" -> {
                        freq = Frequency.ofCode(stringValue());
                        if (freq == null) {
                            throw bad("frequency \"r\", \"c\" or \"f\"");
                        }
                        sawFrequency = true;
                    }
                    case "image_count" -> imageCount = (int) longValue();
                    default -> p.skipChildren();
                }
            }
            String at = pathOrRoot();
            String missing = id == null ? "id" : name == null ? "name"
                    : required == Dataset.Flavour.LVIS && freq == null ? "frequency (LVIS)" : null;
            if (missing != null) {
                throw new DatasetFormatException(file, at, "field '" + missing + "'", "no such field", null);
            }
            categories.add(new Category(id, name, superCat, freq, imageCount));
        }

        private void readAnnotationGuarded() throws IOException {
            int index = annotationsSeen++;
            boolean isObject = p.currentToken() == JsonToken.START_OBJECT;
            try {
                Annotation a = readAnnotation(index);
                if (annotations.size() == annotationIndex.length) {
                    annotationIndex = Arrays.copyOf(annotationIndex, annotationIndex.length * 2);
                }
                annotationIndex[annotations.size()] = index;
                annotations.add(a);
            } catch (BadRecord b) {
                if (!options.lenient()) {
                    throw b.error;
                }
                skip(b.error.getMessage());
                if (!isObject) {
                    p.skipChildren();
                    return;
                }
                // The annotations array's context sits at depth 2 (root object = 1); walk to this object's end.
                while (!(p.currentToken() == JsonToken.END_OBJECT && p.getParsingContext().getNestingDepth() == 2)) {
                    next();
                }
            }
        }

        private void skip(String reason) {
            skipped++;
            if (reasons.size() < KEEP_REASONS) {
                reasons.add(reason);
            }
        }

        private Annotation readAnnotation(int index) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw bad("an annotation object");
            }
            Long id = null;
            Long imageId = null;
            Long categoryId = null;
            double[] box = null;
            Double area = null;
            boolean crowd = false;
            Segmentation seg = null;
            while (next() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                next();
                switch (name) {
                    case "id" -> id = longValue();
                    case "image_id" -> imageId = longValue();
                    case "category_id" -> categoryId = longValue();
                    case "bbox" -> box = readBox();
                    case "area" -> area = doubleValue();
                    case "iscrowd" -> crowd = readCrowd();
                    case "segmentation" -> {
                        if (options.keepSegmentation()) {
                            seg = readSegmentation();
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            String missing = id == null ? "id" : imageId == null ? "image_id" : categoryId == null ? "category_id"
                    : box == null ? "bbox" : area == null ? "area" : null;
            if (missing != null) {
                throw new BadRecord(new DatasetFormatException(file, "$.annotations[" + index + "]", "field '" + missing + "'", "no such field", null));
            }
            return new Annotation(id, imageId, categoryId, box[0], box[1], box[2], box[3], area, crowd, seg);
        }

        private boolean readCrowd() throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                return t == JsonToken.VALUE_TRUE;
            }
            long v = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : -1;
            if (v != 0 && v != 1) {
                throw bad("iscrowd 0 or 1");
            }
            return v == 1;
        }

        private double[] readBox() throws IOException {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                throw bad("bbox as an array of 4 numbers [x, y, w, h]");
            }
            double[] b = new double[4];
            int n = 0;
            while (next() != JsonToken.END_ARRAY) {
                if (n == 4) {
                    throw bad("bbox as an array of 4 numbers [x, y, w, h]");
                }
                b[n++] = doubleValue();
            }
            if (n != 4) {
                throw bad("bbox as an array of 4 numbers [x, y, w, h]");
            }
            return b;
        }

        private Segmentation readSegmentation() throws IOException {
            if (p.currentToken() == JsonToken.START_ARRAY) {
                List<float[]> rings = new ArrayList<>();
                while (next() != JsonToken.END_ARRAY) {
                    if (p.currentToken() != JsonToken.START_ARRAY) {
                        throw bad("a polygon as an array of numbers");
                    }
                    int n = 0;
                    while (next() != JsonToken.END_ARRAY) {
                        if (n == buf.length) {
                            buf = Arrays.copyOf(buf, n * 2);
                        }
                        buf[n++] = floatValue();
                    }
                    if (n < 6 || n % 2 != 0) {
                        throw bad("a polygon with an even number (≥ 6) of coordinates");
                    }
                    rings.add(Arrays.copyOf(buf, n));
                }
                return new Segmentation.Polygons(rings);
            }
            if (p.currentToken() == JsonToken.START_OBJECT) {
                int[] counts = null;
                int[] size = null;
                while (next() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    next();
                    switch (name) {
                        case "counts" -> {
                            if (p.currentToken() == JsonToken.VALUE_STRING) {
                                counts = RleString.decode(p.getText());
                            } else {
                                counts = longList().stream().mapToInt(Long::intValue).toArray();
                            }
                        }
                        case "size" -> {
                            size = longList().stream().mapToInt(Long::intValue).toArray();
                            if (size.length != 2) {
                                throw bad("RLE size [height, width]");
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                if (counts == null || size == null) {
                    throw bad("RLE with 'counts' and 'size'");
                }
                return new Segmentation.Rle(size[0], size[1], counts);
            }
            throw bad("segmentation as polygons [[x, y, ...], ...] or RLE {counts, size}");
        }

        private Dataset validate() {
            Map<Long, ImageInfo> imageById = new HashMap<>(images.size() * 2);
            for (int i = 0; i < images.size(); i++) {
                if (imageById.putIfAbsent(images.get(i).id(), images.get(i)) != null) {
                    throw new DatasetFormatException(file, "$.images[" + i + "].id", "a unique image id",
                            "duplicate id " + images.get(i).id(), null);
                }
            }
            Set<Long> categoryIds = new HashSet<>();
            for (int i = 0; i < categories.size(); i++) {
                if (!categoryIds.add(categories.get(i).id())) {
                    throw new DatasetFormatException(file, "$.categories[" + i + "].id", "a unique category id",
                            "duplicate id " + categories.get(i).id(), null);
                }
            }
            // A sorted copy finds duplicates without boxing 1M+ ids; the set is only built when there are some.
            long[] ids = new long[annotations.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = annotations.get(i).id();
            }
            Arrays.sort(ids);
            boolean anyDuplicate = false;
            for (int i = 1; i < ids.length && !anyDuplicate; i++) {
                anyDuplicate = ids[i] == ids[i - 1];
            }
            Set<Long> annotationIds = anyDuplicate ? new HashSet<>(annotations.size() * 2) : null;
            Map<Long, List<Annotation>> byImage = new LinkedHashMap<>(images.size() * 2);
            double tol = options.boxTolerance();
            for (int i = 0; i < annotations.size(); i++) {
                Annotation a = annotations.get(i);
                String at = "$.annotations[" + annotationIndex[i] + "]";
                DatasetFormatException e = null;
                ImageInfo im = imageById.get(a.imageId());
                if (annotationIds != null && !annotationIds.add(a.id())) {
                    e = new DatasetFormatException(file, at + ".id", "a unique annotation id", "duplicate id " + a.id(), null);
                } else if (im == null) {
                    e = new DatasetFormatException(file, at + ".image_id", "the id of an image in $.images", "unknown image id " + a.imageId(), null);
                } else if (!categoryIds.contains(a.categoryId())) {
                    e = new DatasetFormatException(file, at + ".category_id", "the id of a category in $.categories",
                            "unknown category id " + a.categoryId(), null);
                } else if (a.w() < 0 || a.h() < 0 || a.x() < -tol || a.y() < -tol
                        || a.x2() > im.width() + tol || a.y2() > im.height() + tol) {
                    e = new DatasetFormatException(file, at + ".bbox", "a box [x, y, w, h] inside the " + im.width() + "×" + im.height()
                            + " image " + a.imageId(), "[" + a.x() + ", " + a.y() + ", " + a.w() + ", " + a.h() + "]", null);
                }
                if (e != null) {
                    if (!options.lenient()) {
                        throw e;
                    }
                    skip(e.getMessage());
                    continue;
                }
                byImage.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
            }
            Dataset.Flavour flavour = required != null ? required : sawFrequency ? Dataset.Flavour.LVIS : Dataset.Flavour.COCO;
            return new Dataset(file, null, flavour, images, categories, byImage, skipped, reasons);
        }
    }

    /** JSON pointer {@code /annotations/3/bbox} → {@code $.annotations[3].bbox}. */
    static String toJsonPath(String pointer) {
        StringBuilder sb = new StringBuilder("$");
        if (pointer.isEmpty()) {
            return "$";
        }
        for (String part : pointer.substring(1).split("/", -1)) {
            if (!part.isEmpty() && part.chars().allMatch(Character::isDigit)) {
                sb.append('[').append(part).append(']');
            } else {
                sb.append('.').append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return sb.toString();
    }
}
