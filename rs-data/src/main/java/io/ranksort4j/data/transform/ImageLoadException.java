package io.ranksort4j.data.transform;

import java.nio.file.Path;

/** An image that cannot be read: missing, unreadable or not a decodable JPEG/PNG. */
public final class ImageLoadException extends RuntimeException {
    private final Path file;
    private final String reason;

    public ImageLoadException(Path file, String why, Throwable cause) {
        super("cannot load image " + file + ": " + why, cause);
        this.file = file;
        this.reason = why;
    }

    /** What is wrong with the file, without the file (for messages that name it already). */
    public String reason() {
        return reason;
    }

    public Path file() {
        return file;
    }
}
