package io.ranksort4j.eval.data;

/** A category; {@code frequency} is LVIS's r / c / f, or null. */
public record Category(long id, String name, String frequency) {}
