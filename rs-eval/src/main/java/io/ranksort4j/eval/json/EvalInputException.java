package io.ranksort4j.eval.json;

/** A ground-truth or results file that cannot be evaluated; the message names the file, the entry and the fix. */
public final class EvalInputException extends IllegalArgumentException {
    public EvalInputException(String message) {
        super(message);
    }

    public EvalInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
