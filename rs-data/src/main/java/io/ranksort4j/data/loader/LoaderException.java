package io.ranksort4j.data.loader;

/** The loader could not produce a batch: names the image, its file, the epoch and the cause. */
public final class LoaderException extends RuntimeException {
    public LoaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
