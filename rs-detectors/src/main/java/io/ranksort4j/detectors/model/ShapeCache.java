package io.ranksort4j.detectors.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What depends on the padded input shape (anchors, output layouts), built once per shape: batches padded to their
 * own largest image come in a few dozen shapes on COCO, and the most recent ones are kept.
 */
public final class ShapeCache<T> {
    /** Builds the value for a padded height and width. */
    public interface Factory<T> {
        T build(int height, int width);
    }

    private static final int CAPACITY = 64;

    private final Factory<T> factory;
    private final Map<Long, T> values = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, T> eldest) {
            return size() > CAPACITY;
        }
    };

    public ShapeCache(Factory<T> factory) {
        this.factory = factory;
    }

    public synchronized T get(int height, int width) {
        return values.computeIfAbsent(((long) height << 32) | width, k -> factory.build(height, width));
    }
}
