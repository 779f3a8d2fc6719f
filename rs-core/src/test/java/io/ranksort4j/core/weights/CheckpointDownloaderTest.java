package io.ranksort4j.core.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The downloader against a local HTTP server: resume after a dropped connection, hash check, nothing left on failure. */
class CheckpointDownloaderTest {
    @TempDir
    Path cache;

    private HttpServer server;
    private final List<String> ranges = new CopyOnWriteArrayList<>();
    private final AtomicInteger drops = new AtomicInteger();
    private byte[] served;
    private String name;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        served = content;
        name = "tiny-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)).substring(0, 8) + ".pth";
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/models/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** Serves {@code served} under {@code name}, honouring "Range: bytes=N-"; while drops > 0, sends half and hangs up. */
    private void serve(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().endsWith("/" + name)) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        String range = ex.getRequestHeaders().getFirst("Range");
        ranges.add(String.valueOf(range));
        int from = range == null ? 0 : Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
        int len = served.length - from;
        if (range != null) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (served.length - 1) + "/" + served.length);
        }
        ex.sendResponseHeaders(range == null ? 200 : 206, len);
        OutputStream out = ex.getResponseBody();
        if (drops.getAndDecrement() > 0) {
            out.write(served, from, len / 2);
            out.flush();
            // closing the connection before Content-Length bytes: what a dropped connection looks like to the client
            try {
                out.close();
            } catch (IOException expected) {
                // "insufficient bytes written to stream": the server closes the connection
            }
            ex.close();
            return;
        }
        out.write(served, from, len);
        ex.close();
    }

    private CheckpointDownloader downloader() {
        return new CheckpointDownloader("http://127.0.0.1:" + server.getAddress().getPort() + "/models", cache,
                new PrintStream(err, true, StandardCharsets.UTF_8), 3, Duration.ofMillis(10), Duration.ofSeconds(1));
    }

    @Test
    void aCompleteDownloadIsVerifiedAndMovedIntoPlaceWithAProgressBar() throws Exception {
        Path got = downloader().fetch(name);
        assertThat(got).isEqualTo(cache.resolve(name));
        assertThat(Files.readAllBytes(got)).isEqualTo(served);
        assertThat(cache.toFile().list()).containsExactly(name);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("100%").contains("/s").contains("ETA").contains("293.0 kB");
    }

    @Test
    void aConnectionThatDropsHalfwayIsResumedWithARangeRequest() throws Exception {
        drops.set(1);
        Path got = downloader().fetch(name);
        assertThat(Files.readAllBytes(got)).isEqualTo(served);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        assertThat(ranges.get(1)).isEqualTo("bytes=" + served.length / 2 + "-");
        assertThat(cache.toFile().list()).containsExactly(name);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("resuming at");
    }

    @Test
    void aPartialFileFromAnEarlierRunIsResumed() throws Exception {
        Files.write(cache.resolve(name + ".part"), java.util.Arrays.copyOf(served, 1000));
        Path got = downloader().fetch(name);
        assertThat(Files.readAllBytes(got)).isEqualTo(served);
        assertThat(ranges).containsExactly("bytes=1000-");
    }

    @Test
    void aCorruptFileFailsTheHashCheckAndLeavesNothingInPlace() {
        served = served.clone();
        served[12345] ^= 1;
        assertThatThrownBy(() -> downloader().fetch(name)).hasMessageContaining("SHA-256")
                .hasMessageContaining("does not start with " + name.substring(5, 13)).hasMessageContaining("nothing was kept");
        assertThat(cache.toFile().list()).isEmpty();
    }

    @Test
    void aConnectionThatKeepsDroppingGivesUpAndKeepsThePartForTheNextRun() {
        drops.set(100);
        assertThatThrownBy(() -> downloader().fetch(name)).hasMessageContaining("gave up after 3 attempts");
        assertThat(cache.resolve(name)).doesNotExist();
        assertThat(cache.resolve(name + ".part")).exists();
    }

    @Test
    void anUnknownFileIsA404WithoutRetries() {
        assertThatThrownBy(() -> downloader().fetch("resnet7-deadbeef.pth")).hasMessageContaining("404");
        assertThat(ranges).isEmpty();
    }
}
