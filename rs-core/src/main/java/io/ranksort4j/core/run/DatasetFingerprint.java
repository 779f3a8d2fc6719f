package io.ranksort4j.core.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Identifies the data a run saw: annotation file path, size, SHA-256 and image count. */
public record DatasetFingerprint(String annotationPath, long sizeBytes, String sha256, int imageCount) {

    /** Hashes the file by streaming it (annotation files can exceed 1 GB). */
    public static DatasetFingerprint of(Path annotations, int imageCount) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(annotations), MessageDigest.getInstance("SHA-256"))) {
            byte[] buf = new byte[1 << 16];
            while (in.read(buf) >= 0) {
                // digesting as we read
            }
            String sha = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            return new DatasetFingerprint(annotations.toAbsolutePath().toString(), Files.size(annotations), sha, imageCount);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint annotation file " + annotations + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
