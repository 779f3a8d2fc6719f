package io.ranksort4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pure-Java .npz writer writes what numpy writes, and reads back every tensor of a torch checkpoint. */
class NpzFilesTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckpointConvertedToNpzReadsBackWithTheSameValues() {
        TorchCheckpoint ck = TorchCheckpoint.read(TorchCheckpointTest.resource("mmdet_zip.pth"));
        Path out = tmp.resolve("sd.npz");
        NpzFiles.write(out, ck.tensors());
        Map<String, TorchTensor> back = NpzFiles.read(out).stream().collect(Collectors.toMap(TorchTensor::name, t -> t));
        assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(ck.byName().keySet());
        for (TorchTensor t : ck.tensors()) {
            TorchTensor b = back.get(t.name());
            assertThat(b.shape()).as(t.name()).containsExactly(t.shape());
            assertThat(b.toDoubles()).as(t.name()).containsExactly(t.toDoubles());
        }
        assertThat(back.get("bn.bias").dtype()).as("bfloat16 widens to float32").isEqualTo(TorchDtype.FLOAT32);
        assertThat(back.get("bn.num_batches_tracked").dtype()).isEqualTo(TorchDtype.INT64);
        assertThat(tmp.toFile().list()).containsExactly("sd.npz");
    }

    @Test
    void headersAreNumpysVersion1PaddedTo64Bytes() {
        byte[] npy = NpzFiles.npy(TorchTensor.ofFloats("a", new long[] {3}, TorchDtype.FLOAT32, new float[] {1, 2, 3}));
        int headerLen = (npy[8] & 0xff) | (npy[9] & 0xff) << 8;
        String header = new String(npy, 10, headerLen, java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }").endsWith("\n");
        assertThat((10 + headerLen) % 64).isZero();
        assertThat(npy).hasSize(10 + headerLen + 12);
    }

    @Test
    void scalarsAndMatricesGetNumpysShapeSpelling() {
        String scalar = new String(NpzFiles.npy(TorchTensor.ofLongs("n", new long[0], TorchDtype.INT64, new long[] {5})), 10, 60);
        String matrix = new String(NpzFiles.npy(TorchTensor.ofDoubles("m", new long[] {2, 1}, new double[] {1, 2})), 10, 60);
        assertThat(scalar).contains("'shape': ()");
        assertThat(matrix).contains("'descr': '<f8'").contains("'shape': (2, 1)");
    }

    @Test
    void writingReplacesTheTargetAtomically() throws Exception {
        Path out = tmp.resolve("x.npz");
        Files.writeString(out, "old");
        NpzFiles.write(out, List.of(TorchTensor.ofFloats("a", new long[] {1}, TorchDtype.FLOAT32, new float[] {7})));
        assertThat(NpzFiles.read(out).get(0).floats()).containsExactly(7f);
        assertThat(tmp.toFile().list()).containsExactly("x.npz");
    }
}
