package io.ranksort4j.eval.json;

import io.ranksort4j.core.io.IoErrors;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ranksort4j.eval.data.Category;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.GtAnnotation;
import io.ranksort4j.eval.data.ImageInfo;
import io.ranksort4j.eval.data.Segmentation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a COCO or LVIS annotation file with Jackson's streaming parser, one entry at a time. */
public final class GroundTruthReader {
    private GroundTruthReader() {}

    public static GroundTruth read(Path file) {
        try (InputStream in = Streams.open(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new EvalInputException("cannot read annotation file " + file + ": " + IoErrors.reason(e), e);
        }
    }

    public static GroundTruth read(InputStream in, String name) throws IOException {
        List<ImageInfo> images = new ArrayList<>();
        List<Category> cats = new ArrayList<>();
        List<GtAnnotation> anns = new ArrayList<>();
        try (JsonParser p = Streams.FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new EvalInputException(name + ": an annotation file must be a JSON object with 'images', 'annotations' and 'categories'");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken t = p.nextToken();
                if (t != JsonToken.START_ARRAY || !(f.equals("images") || f.equals("annotations") || f.equals("categories"))) {
                    p.skipChildren();
                    continue;
                }
                int idx = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    try {
                        switch (f) {
                            case "images" -> images.add(image(p));
                            case "categories" -> cats.add(category(p));
                            default -> anns.add(annotation(p));
                        }
                    } catch (Streams.BadValue e) {
                        throw new EvalInputException(name + ": " + f + "[" + idx + "]: " + e.getMessage()
                                + "; fix that entry (see the COCO data format)");
                    }
                    idx++;
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EvalInputException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return new GroundTruth(images, cats, anns);
    }

    private static void expectObject(JsonParser p) throws IOException, Streams.BadValue {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Streams.BadValue("expected an object, got " + Streams.describe(p));
        }
    }

    private static ImageInfo image(JsonParser p) throws IOException, Streams.BadValue {
        expectObject(p);
        Long id = null;
        int h = 0, w = 0;
        long[] neg = new long[0], nel = new long[0];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "id" -> id = Streams.id(p, f);
                case "height" -> h = (int) Streams.number(p, f);
                case "width" -> w = (int) Streams.number(p, f);
                case "neg_category_ids" -> neg = Streams.ids(p, f);
                case "not_exhaustive_category_ids" -> nel = Streams.ids(p, f);
                default -> p.skipChildren();
            }
        }
        if (id == null) {
            throw new Streams.BadValue("missing 'id'");
        }
        return new ImageInfo(id, h, w, neg, nel);
    }

    private static Category category(JsonParser p) throws IOException, Streams.BadValue {
        expectObject(p);
        Long id = null;
        String name = null, freq = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "id" -> id = Streams.id(p, f);
                case "name" -> name = p.getValueAsString();
                case "frequency" -> freq = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        if (id == null) {
            throw new Streams.BadValue("missing 'id'");
        }
        return new Category(id, name, freq);
    }

    private static GtAnnotation annotation(JsonParser p) throws IOException, Streams.BadValue {
        expectObject(p);
        Long id = null, img = null, cat = null;
        double[] bbox = null;
        double area = Double.NaN;
        boolean crowd = false, ignore = false;
        Segmentation seg = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "id" -> id = Streams.id(p, f);
                case "image_id" -> img = Streams.id(p, f);
                case "category_id" -> cat = Streams.id(p, f);
                case "bbox" -> bbox = Streams.numbers(p, f);
                case "area" -> area = Streams.number(p, f);
                case "iscrowd" -> crowd = Streams.number(p, f) != 0;
                case "ignore" -> ignore = Streams.number(p, f) != 0;
                case "segmentation" -> seg = Streams.segmentation(p);
                default -> p.skipChildren();
            }
        }
        if (id == null || img == null || cat == null) {
            throw new Streams.BadValue("needs 'id', 'image_id' and 'category_id'");
        }
        if (bbox != null && bbox.length != 4) {
            throw new Streams.BadValue("'bbox' must be [x, y, width, height], got " + bbox.length + " numbers");
        }
        if (Double.isNaN(area)) {
            throw new Streams.BadValue("annotation id " + id + " has no 'area' (the evaluators use the file's area, never a recomputed one)");
        }
        return new GtAnnotation(id, img, cat, bbox, area, crowd, ignore, seg);
    }
}
