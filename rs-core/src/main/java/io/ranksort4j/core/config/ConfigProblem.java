package io.ranksort4j.core.config;

/** One problem found in a configuration: where it is, what is wrong, and how to fix it. */
public record ConfigProblem(String location, String path, String message, String hint) {

    /** Renders the problem as {@code file:line: path: message (hint)}. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(location).append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        sb.append(message);
        if (hint != null && !hint.isEmpty()) {
            sb.append("\n    ").append(hint);
        }
        return sb.toString();
    }
}
