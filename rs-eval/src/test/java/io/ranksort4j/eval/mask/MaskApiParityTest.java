package io.ranksort4j.eval.mask;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.eval.Golden;
import org.junit.jupiter.api.Test;

/** Rasterisation, compressed strings, areas, boxes, merges and IoUs equal pycocotools' maskApi bit for bit. */
class MaskApiParityTest {
    static final JsonNode G = Golden.json("mask.json.gz");

    private static double[] doubles(JsonNode n) {
        double[] d = new double[n.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = n.get(i).asDouble();
        }
        return d;
    }

    private static int[] ints(JsonNode n) {
        int[] d = new int[n.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = n.get(i).asInt();
        }
        return d;
    }

    private static Rle rasterise(JsonNode m) {
        int h = m.get("h").asInt(), w = m.get("w").asInt();
        if (m.has("box")) {
            return MaskApi.frBbox(doubles(m.get("box")), h, w);
        }
        JsonNode ps = m.get("polygons");
        double[][] parts = new double[ps.size()][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = doubles(ps.get(i));
        }
        return MaskApi.frPolygons(parts, h, w);
    }

    @Test
    void polygonsAndBoxesRasteriseToTheSamePixelsAsMaskApi() {
        int i = 0;
        for (JsonNode m : G.get("masks")) {
            Rle r = rasterise(m);
            Rle decoded = Rle.encode(r.decode(), r.h(), r.w());
            assertThat(decoded.counts()).as("mask %d pixels", i).containsExactly(ints(m.get("counts")));
            assertThat(r.toCompressedString()).as("mask %d string", i).isEqualTo(m.get("string").asText());
            assertThat(r.area()).as("mask %d area", i).isEqualTo(m.get("area").asLong());
            assertThat(r.toBbox()).as("mask %d bbox", i).containsExactly(doubles(m.get("bbox")));
            i++;
        }
        assertThat(i).isGreaterThan(100);
    }

    @Test
    void areaAndBoxStraightFromTheStringEqualThoseOfTheDecodedMask() {
        for (JsonNode m : G.get("masks")) {
            double[] ab = Rle.areaAndBoxOfCompressed(m.get("string").asText(), m.get("h").asInt(), m.get("w").asInt());
            assertThat(ab[0]).isEqualTo(m.get("area").asDouble());
            assertThat(new double[] {ab[1], ab[2], ab[3], ab[4]}).containsExactly(doubles(m.get("bbox")));
        }
        assertThat(Rle.areaAndBoxOfCompressed("", 4, 4)).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void compressedStringsRoundTrip() {
        for (JsonNode m : G.get("masks")) {
            Rle r = Rle.fromCompressedString(m.get("string").asText(), m.get("h").asInt(), m.get("w").asInt());
            assertThat(r.toCompressedString()).isEqualTo(m.get("string").asText());
            assertThat(Rle.encode(r.decode(), r.h(), r.w()).counts()).containsExactly(ints(m.get("counts")));
        }
    }

    @Test
    void maskIouMergeAndIntersectionMatchMaskApi() {
        JsonNode masks = G.get("masks");
        int n = 0;
        for (JsonNode p : G.get("pairs")) {
            JsonNode a = masks.get(p.get("a").asInt()), b = masks.get(p.get("b").asInt());
            Rle ra = Rle.fromCompressedString(a.get("string").asText(), a.get("h").asInt(), a.get("w").asInt());
            Rle rb = Rle.fromCompressedString(b.get("string").asText(), b.get("h").asInt(), b.get("w").asInt());
            if (p.has("iou")) {
                assertThat(MaskApi.rleIou(ra, rb, p.get("crowd").asInt() == 1)).isEqualTo(p.get("iou").asDouble());
            } else {
                assertThat(MaskApi.merge(new Rle[] {ra, rb}, false).toCompressedString()).isEqualTo(p.get("union").asText());
                assertThat(MaskApi.merge(new Rle[] {ra, rb}, true).toCompressedString()).isEqualTo(p.get("intersection").asText());
            }
            n++;
        }
        assertThat(n).isGreaterThan(200);
    }

    @Test
    void boxIouMatchesBbIouIncludingCrowd() {
        for (JsonNode p : G.get("boxes")) {
            assertThat(MaskApi.bbIou(doubles(p.get("d")), doubles(p.get("g")), p.get("crowd").asInt() == 1)).isEqualTo(p.get("iou").asDouble());
        }
    }
}
