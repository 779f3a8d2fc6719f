package io.ranksort4j.core.weights;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Downloads a checkpoint into a cache directory like torch.hub does: into {@code FILE.part}, resuming a broken
 * transfer with an HTTP Range request, retrying a few times, then checking that the SHA-256 starts with the hash in
 * the file name (torchvision's check_hash convention) before moving it into place. A progress bar goes to stderr.
 */
public final class CheckpointDownloader {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");

    private final String baseUrl;
    private final Path cache;
    private final PrintStream progress;
    private final int attempts;
    private final Duration retryDelay;
    private final Duration timeout;

    /** torchvision's server, 5 attempts. */
    public CheckpointDownloader(Path cache, PrintStream progress) {
        this(PretrainedWeights.TORCHVISION_BASE_URL, cache, progress, 5, Duration.ofSeconds(2), Duration.ofSeconds(60));
    }

    /**
     * @param baseUrl the URL the file name is appended to (a test's local server)
     * @param attempts how many requests a broken download may take in all
     * @param timeout how long connecting, or a read that gets no byte, may take before the attempt counts as broken
     */
    public CheckpointDownloader(String baseUrl, Path cache, PrintStream progress, int attempts, Duration retryDelay, Duration timeout) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
        this.cache = cache;
        this.progress = progress;
        this.attempts = attempts;
        this.retryDelay = retryDelay;
        this.timeout = timeout;
    }

    /** Downloads {@code baseUrl + fileName} into the cache unless a verified copy is there; returns its path. */
    public Path fetch(String fileName) {
        String prefix = PretrainedWeights.hashPrefix(fileName);
        Path target = cache.resolve(fileName);
        Path part = cache.resolve(fileName + ".part");
        URI uri = URI.create(baseUrl + fileName);
        try {
            Files.createDirectories(cache);
            if (Files.isRegularFile(target)) {
                if (prefix == null || sha256(target).startsWith(prefix)) {
                    progress.println(target + " is already there");
                    return target;
                }
                progress.println(target + " does not match the hash in its name; downloading it again");
            }
            download(uri, part, fileName);
            if (prefix != null) {
                String sha = sha256(part);
                if (!sha.startsWith(prefix)) {
                    Files.deleteIfExists(part);
                    throw new IllegalStateException("the SHA-256 of the file downloaded from " + uri + " is " + sha + ", which does not "
                            + "start with " + prefix + " (the hash in its name): the download is corrupt or the server sent another "
                            + "file; nothing was kept in " + cache + ", run the command again");
                }
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download " + uri + " into " + cache + ": " + e.getMessage(), e);
        }
    }

    private void download(URI uri, Path part, String label) throws IOException {
        IOException last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long have = Files.isRegularFile(part) ? Files.size(part) : 0;
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setConnectTimeout((int) timeout.toMillis());
            // a stalled transfer fails like a dropped one, and is resumed the same way
            c.setReadTimeout((int) timeout.toMillis());
            c.setInstanceFollowRedirects(true);
            if (have > 0) {
                c.setRequestProperty("Range", "bytes=" + have + "-");
            }
            try {
                int status = c.getResponseCode();
                long total;
                boolean append;
                if (status == 206) {
                    String cr = String.valueOf(c.getHeaderField("Content-Range"));
                    Matcher m = CONTENT_RANGE.matcher(cr);
                    if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                        throw new IOException("the server answered the range request with Content-Range '" + cr + "'");
                    }
                    total = m.group(3).equals("*") ? -1 : Long.parseLong(m.group(3));
                    append = true;
                } else if (status == 200) {
                    // the server ignored the range (or there was none): start over
                    total = c.getContentLengthLong();
                    have = 0;
                    append = false;
                } else if (status == 416 && have > 0) {
                    return; // the part is already whole; the hash check decides
                } else if (status == 404 || status == 403 || status == 410) {
                    throw new IllegalArgumentException(uri + ": HTTP " + status + " (no such file on the server); check the model name");
                } else {
                    throw new IOException("HTTP " + status + " " + c.getResponseMessage());
                }
                long got = copy(c.getInputStream(), part, append, have, total, label);
                if (total < 0 || got == total) {
                    return;
                }
                throw new IOException("the connection closed after " + bytes(got) + " of " + bytes(total));
            } catch (IOException e) {
                last = e;
                if (attempt < attempts) {
                    long now = Files.isRegularFile(part) ? Files.size(part) : 0;
                    progress.printf("%s: %s; resuming at %s (attempt %d of %d)%n", label, e.getMessage(), bytes(now), attempt + 1, attempts);
                    sleep(retryDelay.multipliedBy(attempt));
                }
            } finally {
                c.disconnect();
            }
        }
        throw new IOException("gave up after " + attempts + " attempts (" + (last == null ? "?" : last.getMessage())
                + "); the partial file " + part + " is kept and the next run resumes it");
    }

    private long copy(InputStream body, Path part, boolean append, long have, long total, String label) throws IOException {
        Progress bar = new Progress(label, have, total);
        long got = have;
        try (InputStream in = body;
             OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                got += n;
                bar.update(got, false);
            }
        } finally {
            bar.update(got, true);
        }
        return got;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) >= 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        return b < 1 << 20 ? String.format(Locale.ROOT, "%.1f kB", b / 1024.0) : String.format(Locale.ROOT, "%.1f MB", b / 1048576.0);
    }

    /** One line redrawn with \r: bytes, percentage, speed of this transfer, ETA; at most ten redraws a second. */
    private final class Progress {
        private final String label;
        private final long start;
        private final long total;
        private final long t0 = System.nanoTime();
        private long lastDraw;

        Progress(String label, long start, long total) {
            this.label = label;
            this.start = start;
            this.total = total;
        }

        void update(long got, boolean last) {
            long now = System.nanoTime();
            if (!last && now - lastDraw < 100_000_000L) {
                return;
            }
            lastDraw = now;
            double secs = Math.max((now - t0) / 1e9, 1e-3);
            double speed = (got - start) / secs;
            StringBuilder line = new StringBuilder("\r").append(label).append(' ');
            if (total > 0) {
                int width = 24;
                int filled = (int) Math.min(width, width * got / total);
                line.append('[').append("#".repeat(filled)).append("-".repeat(width - filled)).append("] ")
                        .append(String.format(Locale.ROOT, "%3d%% ", 100 * got / total));
                line.append(bytes(got)).append(" / ").append(bytes(total));
            } else {
                line.append(bytes(got));
            }
            line.append("  ").append(bytes((long) speed)).append("/s");
            if (total > 0 && speed > 0) {
                long eta = (long) ((total - got) / speed);
                line.append(String.format(Locale.ROOT, "  ETA %d:%02d", eta / 60, eta % 60));
            }
            progress.print(line);
            if (last) {
                progress.println();
            }
            progress.flush();
        }
    }
}
