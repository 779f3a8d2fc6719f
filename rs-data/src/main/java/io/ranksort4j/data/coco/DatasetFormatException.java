package io.ranksort4j.data.coco;

import java.nio.file.Path;

/** A malformed annotation file: names the file, the JSON path (e.g. {@code $.annotations[3].bbox}) and what was expected. */
public final class DatasetFormatException extends RuntimeException {
    private final Path file;
    private final String jsonPath;
    private final String expected;

    public DatasetFormatException(Path file, String jsonPath, String expected, String found, Throwable cause) {
        super(file + ": at " + jsonPath + ": expected " + expected + (found == null ? "" : ", found " + found), cause);
        this.file = file;
        this.jsonPath = jsonPath;
        this.expected = expected;
    }

    public Path file() {
        return file;
    }

    public String jsonPath() {
        return jsonPath;
    }

    public String expected() {
        return expected;
    }
}
