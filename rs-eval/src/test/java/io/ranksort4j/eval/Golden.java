package io.ranksort4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.json.GroundTruthReader;
import io.ranksort4j.eval.json.ResultsReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Loads the committed golden files written by src/test/python/make_golden.py. */
public final class Golden {
    private Golden() {}

    public static InputStream open(String resource) {
        InputStream in = Golden.class.getResourceAsStream("/golden/" + resource);
        if (in == null) {
            throw new IllegalStateException("missing golden resource " + resource);
        }
        try {
            return resource.endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String resource) {
        try (InputStream in = open(resource)) {
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static GroundTruth gt(String resource) {
        try (InputStream in = open(resource)) {
            return GroundTruthReader.read(in, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Detection> dets(String resource, GroundTruth gt) {
        try (InputStream in = open(resource)) {
            return ResultsReader.read(in, resource, gt, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
