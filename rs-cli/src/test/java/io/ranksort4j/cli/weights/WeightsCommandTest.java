package io.ranksort4j.cli.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ranksort4j.cli.CliRunner;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code rs4j weights info / convert / fetch} on a torch-written checkpoint (rs-core's export_pth.py) and a local server. */
class WeightsCommandTest {
    @TempDir
    Path tmp;

    private static String pth() throws Exception {
        return Path.of(WeightsCommandTest.class.getResource("/weights/mmdet_legacy.pth").toURI()).toString();
    }

    @Test
    void infoListsNamesDtypesShapesAndTheParameterCount() throws Exception {
        CliRunner.Result r = CliRunner.run("weights", "info", pth());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("PyTorch checkpoint (legacy format), state_dict under 'state_dict'")
                .containsPattern("fc\\.weight_t\\s+float32\\s+\\[4, 3\\]")
                .containsPattern("bn\\.bias\\s+bfloat16\\s+\\[4\\]")
                .containsPattern("bn\\.num_batches_tracked\\s+int64\\s+\\[\\]")
                .contains("12 tensors, 58 parameters (floating-point values) and 5 integer values");
    }

    @Test
    void convertWritesAnNpzThatNd4jAndInfoRead() throws Exception {
        Path out = tmp.resolve("sd.npz");
        CliRunner.Result r = CliRunner.run("weights", "convert", pth(), "--out", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + out + ": 10 tensors, 58 parameters (2 integer tensors left out");
        Map<String, INDArray> m = Nd4j.createFromNpzFile(out.toFile());
        assertThat(m.get("fc.weight_t").shape()).containsExactly(4, 3);
        assertThat(m.get("fc.weight_t").getFloat(0, 1)).isEqualTo(2f);
        assertThat(m.get("bn.bias").getFloat(3)).isEqualTo(256f);
        CliRunner.Result info = CliRunner.run("weights", "info", out.toString());
        assertThat(info.out()).contains(".npz").contains("10 tensors, 58 parameters");
        assertThat(tmp.toFile().list()).containsExactly("sd.npz");
    }

    @Test
    void convertOfSomethingElseSaysWhatItIs() throws Exception {
        Path f = Files.writeString(tmp.resolve("x.pth"), "not torch");
        CliRunner.Result r = CliRunner.run("weights", "convert", f.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not a PyTorch checkpoint");
    }

    @Test
    void fetchOfAnUnknownModelListsTheKnownOnes() {
        CliRunner.Result r = CliRunner.run("weights", "fetch", "resnet152", "--cache", tmp.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("resnet18, resnet34, resnet50, resnet101");
    }

    @Test
    void fetchRefusesAFileWhoseHashDoesNotMatchItsNameAndKeepsNothing() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = "these are not resnet18's weights".getBytes();
            ex.sendResponseHeaders(ex.getRequestURI().getPath().endsWith("/resnet18-f37072fd.pth") ? 200 : 404, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            CliRunner.Result r = CliRunner.run("weights", "fetch", "resnet18", "--cache", tmp.toString(),
                    "--base-url", "http://127.0.0.1:" + server.getAddress().getPort() + "/models/");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.err()).contains("does not start with f37072fd").contains("100%");
            assertThat(tmp.toFile().list()).isEmpty();
        } finally {
            server.stop(0);
        }
    }
}
