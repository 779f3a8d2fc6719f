package io.ranksort4j.data.transform;

import java.nio.file.Path;

/** An image that cannot be read: missing, unreadable or not a decodable JPEG/PNG. */
public final class ImageLoadException extends RuntimeException {
    private final Path file;

    public ImageLoadException(Path file, String why, Throwable cause) {
        super("cannot load image " + file + ": " + why, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
