package io.ranksort4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checkpoints written by torch 2.13 (src/test/python/export_pth.py) read back with the names, shapes and values torch has. */
class TorchCheckpointTest {
    @TempDir
    Path tmp;

    static Path resource(String name) {
        try {
            return Path.of(TorchCheckpointTest.class.getResource("/weights/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode golden() throws IOException {
        return new ObjectMapper().readTree(resource("golden.json").toFile()).get("tensors");
    }

    private static void assertMatchesGolden(TorchCheckpoint ck) throws IOException {
        JsonNode golden = golden();
        List<String> names = new ArrayList<>();
        golden.fieldNames().forEachRemaining(names::add);
        assertThat(ck.tensors()).extracting(TorchTensor::name).containsExactlyElementsOf(names);
        Map<String, TorchTensor> byName = ck.byName();
        for (Iterator<Map.Entry<String, JsonNode>> it = golden.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            TorchTensor t = byName.get(e.getKey());
            JsonNode g = e.getValue();
            assertThat(t.shape()).as(e.getKey()).containsExactly(longs(g.get("shape")));
            assertThat(t.dtype().torchName()).as(e.getKey()).isEqualTo(g.get("dtype").asText());
            if (t.dtype().isFloatingPoint()) {
                double[] want = new double[g.get("values").size()];
                for (int i = 0; i < want.length; i++) {
                    want[i] = g.get("values").get(i).asDouble();
                }
                assertThat(t.toDoubles()).as(e.getKey()).containsExactly(want);
            } else {
                assertThat(t.longs()).as(e.getKey()).containsExactly(longs(g.get("values")));
            }
        }
    }

    private static long[] longs(JsonNode a) {
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asLong();
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mmdet_zip.pth", "mmdet_legacy.pth"})
    void mmdetectionCheckpointsReadExactlyAsTorchWroteThemInBothFormats(String file) throws IOException {
        TorchCheckpoint ck = TorchCheckpoint.read(resource(file));
        assertThat(ck.format()).isEqualTo(file.contains("legacy") ? TorchCheckpoint.Format.LEGACY : TorchCheckpoint.Format.ZIP);
        assertThat(ck.nestedUnder()).isEqualTo("state_dict");
        assertMatchesGolden(ck);
    }

    @Test
    void detectronStyleModelKeyIsFoundAndTheDataParallelPrefixDropped() throws IOException {
        TorchCheckpoint ck = TorchCheckpoint.read(resource("detectron_zip.pth"));
        assertThat(ck.nestedUnder()).isEqualTo("model");
        assertMatchesGolden(ck);
    }

    @Test
    void nonContiguousViewsHalfBfloatAndDoubleKeepTheirValues() {
        Map<String, TorchTensor> t = TorchCheckpoint.read(resource("mmdet_zip.pth")).byName();
        assertThat(t.get("fc.weight_t").floats()).startsWith(0f, 2f, 4f, 0.5f);
        assertThat(t.get("fc.sliced").floats()).containsExactly(-2f, 0f, 2f, 3f, 5f, 7f);
        assertThat(t.get("fc.expanded").floats()).containsExactly(1.5f, -2f, 1.5f, -2f, 1.5f, -2f);
        assertThat(t.get("bn.weight").floats()).containsExactly(1f, 0.5f, -0.25f, 65504f);
        assertThat(t.get("bn.bias").dtype()).isEqualTo(TorchDtype.BFLOAT16);
        assertThat(t.get("bn.running_var").doubles()[1]).isEqualTo(1e-300);
        assertThat(t.get("bn.num_batches_tracked").shape()).isEmpty();
        assertThat(t.get("bn.num_batches_tracked").longs()).containsExactly(1234567890123L);
    }

    @Test
    void halfPrecisionDecodesSubnormalsAndInfinities() {
        assertThat(TorchCheckpoint.halfToFloat((short) 0x0001)).isEqualTo(0x1.0p-24f);
        assertThat(TorchCheckpoint.halfToFloat((short) 0x8400)).isEqualTo(-0x1.0p-14f);
        assertThat(TorchCheckpoint.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(TorchCheckpoint.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    }

    @Test
    void aFileThatIsNoCheckpointSaysSoWithItsName() throws IOException {
        Path f = tmp.resolve("notes.pth");
        Files.writeString(f, "hello");
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining(f.toString()).hasMessageContaining("not a PyTorch checkpoint");
        assertThatThrownBy(() -> TorchCheckpoint.read(tmp.resolve("missing.pth"))).hasMessageContaining("no such file");
    }

    @Test
    void anNpzGivenAsACheckpointIsNamedAsSuch() throws IOException {
        Path f = tmp.resolve("w.npz");
        NpzFiles.write(f, List.of(TorchTensor.ofFloats("a", new long[] {2}, TorchDtype.FLOAT32, new float[] {1, 2})));
        assertThat(TorchCheckpoint.looksLikeCheckpoint(f)).isFalse();
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("read it as an .npz");
    }

    @Test
    void aTruncatedCheckpointIsReportedAsTruncated() throws IOException {
        byte[] all = Files.readAllBytes(resource("mmdet_legacy.pth"));
        Path f = tmp.resolve("cut.pth");
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 40));
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("cut.pth").hasMessageContaining("truncated");
    }

    @Test
    void anUnsupportedDtypeNamesTheTensorAndTheFix() throws IOException {
        // the zip checkpoint with its float32 storage class renamed to a complex one
        Path f = tmp.resolve("complex.pth");
        try (var zin = new java.util.zip.ZipFile(resource("mmdet_zip.pth").toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(f))) {
            for (var en = zin.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] b = zin.getInputStream(e).readAllBytes();
                if (e.getName().endsWith("data.pkl")) {
                    String s = new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
                    // same length keeps the GLOBAL opcode's text line valid
                    b = s.replaceFirst("torch\nFloatStorage\n", "torch\nCFloatStorage\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(b);
                out.closeEntry();
            }
        }
        assertThatThrownBy(() -> TorchCheckpoint.read(f)).hasMessageContaining("tensor conv.weight uses dtype CFloat")
                .hasMessageContaining("not supported").hasMessageContaining(".float()");
    }
}
