package io.ranksort4j.eval.json;

import io.ranksort4j.core.io.IoErrors;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.Segmentation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO results file (a JSON list of detections) with the streaming parser and validates every
 * entry against the ground truth. An empty list means "no detections" (pycocotools would crash).
 */
public final class ResultsReader {
    private ResultsReader() {}

    /** Reads and validates; {@code dropBbox} removes {@code bbox} from entries that carry a mask (mmdet / detectron2 habit). */
    public static List<Detection> read(Path file, GroundTruth gt, boolean dropBbox) {
        try (InputStream in = Streams.open(file)) {
            return read(in, file.toString(), gt, dropBbox);
        } catch (IOException e) {
            throw new EvalInputException("cannot read results file " + file + ": " + IoErrors.reason(e), e);
        }
    }

    public static List<Detection> read(InputStream in, String name, GroundTruth gt, boolean dropBbox) throws IOException {
        List<Detection> out = new ArrayList<>();
        try (JsonParser p = Streams.FACTORY.createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return out;
            }
            if (first != JsonToken.START_ARRAY) {
                throw new EvalInputException(name + ": a results file must be a JSON list of detections "
                        + "({\"image_id\", \"category_id\", \"bbox\" and/or \"segmentation\", \"score\"}), got " + Streams.describe(p));
            }
            int idx = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                try {
                    Detection d = entry(p, gt);
                    if (dropBbox && d.segmentation() != null) {
                        d = new Detection(d.imageId(), d.categoryId(), null, d.score(), d.segmentation());
                    }
                    out.add(d);
                } catch (Streams.BadValue e) {
                    throw new EvalInputException(name + ": result [" + idx + "]: " + e.getMessage());
                }
                idx++;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new EvalInputException(name + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        return out;
    }

    private static Detection entry(JsonParser p, GroundTruth gt) throws IOException, Streams.BadValue {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new Streams.BadValue("expected an object, got " + Streams.describe(p));
        }
        Long img = null, cat = null;
        double[] bbox = null;
        double score = Double.NaN;
        boolean hasScore = false;
        Segmentation seg = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "image_id" -> img = Streams.id(p, f);
                case "category_id" -> cat = Streams.id(p, f);
                case "bbox" -> bbox = Streams.numbers(p, f);
                case "score" -> {
                    score = Streams.number(p, f);
                    hasScore = true;
                }
                case "segmentation" -> seg = Streams.segmentation(p);
                default -> p.skipChildren();
            }
        }
        if (bbox != null && bbox.length == 0) {
            bbox = null;
        }
        validate(img, cat, bbox, hasScore, score, seg, gt);
        return new Detection(img, cat, bbox, score, seg);
    }

    /** The checks shared by files and the in-memory Evaluator API. */
    static void validate(Long img, Long cat, double[] bbox, boolean hasScore, double score, Segmentation seg, GroundTruth gt)
            throws Streams.BadValue {
        if (img == null) {
            throw new Streams.BadValue("missing 'image_id'; add the id of the image the detection belongs to");
        }
        if (cat == null) {
            throw new Streams.BadValue("missing 'category_id'; add the detected category's id");
        }
        if (!hasScore) {
            throw new Streams.BadValue("missing 'score'; every detection needs its confidence");
        }
        if (!Double.isFinite(score)) {
            throw new Streams.BadValue("score is " + score + "; it must be a finite number");
        }
        if (gt.imageIndex(img) < 0) {
            throw new Streams.BadValue("image_id " + img + " is not an image of the annotation file; "
                    + "evaluate against the annotation file the detections were made for");
        }
        if (gt.categoryIndex(cat) < 0) {
            throw new Streams.BadValue("category_id " + cat + " is not a category of the annotation file; "
                    + "map the detector's class index to the dataset's category id");
        }
        if (bbox == null && seg == null) {
            throw new Streams.BadValue("has neither 'bbox' nor 'segmentation'");
        }
        if (bbox != null) {
            if (bbox.length != 4) {
                throw new Streams.BadValue("'bbox' must be [x, y, width, height] (4 numbers), got " + bbox.length);
            }
            for (double v : bbox) {
                if (!Double.isFinite(v)) {
                    throw new Streams.BadValue("'bbox' has the value " + v + "; every coordinate must be a finite number");
                }
            }
            if (bbox[2] < 0 || bbox[3] < 0) {
                throw new Streams.BadValue("'bbox' has a negative width or height; boxes are [x, y, width, height], not corners");
            }
        }
    }

    /** Validates one in-memory detection, for the Evaluator API. */
    public static void validate(Detection d, GroundTruth gt, String where) {
        try {
            validate(d.imageId(), d.categoryId(), d.bbox(), true, d.score(), d.segmentation(), gt);
        } catch (Streams.BadValue e) {
            throw new EvalInputException(where + ": " + e.getMessage());
        }
    }
}
