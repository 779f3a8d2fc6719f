package io.ranksort4j.core.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;

/** The project's one Jackson mapper, with its output settings, and atomic JSON writes. */
public final class Json {
    /** Shared, thread-safe once configured. */
    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private Json() {}

    public static String pretty(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value.getClass().getName(), e);
        }
    }

    /** Writes {@code value} as indented JSON to {@code target} atomically. */
    public static void write(Path target, Object value) {
        AtomicFiles.write(target, out -> MAPPER.writeValue(new java.io.FilterOutputStream(out) {
            @Override
            public void close() {
                // the atomic writer closes the stream itself
            }
        }, value));
    }
}
