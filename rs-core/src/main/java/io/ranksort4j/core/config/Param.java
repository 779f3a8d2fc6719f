package io.ranksort4j.core.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Documents one hyper-parameter of a component's parameter record: its default (as HOCON text),
 * its range and, for a nested component, the family its {@code type} is looked up in.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Param {
    /** Marks a parameter without a default: the config must set it. */
    String REQUIRED = "<required>";

    /** One line saying what the parameter does. */
    String value();

    /** The default as HOCON text ({@code "0.5"}, {@code "[8, 16]"}, {@code "{type = giou}"}, {@code "null"}). */
    String def() default REQUIRED;

    /** Inclusive lower bound for numbers (and list elements). */
    double min() default Double.NEGATIVE_INFINITY;

    /** Inclusive upper bound for numbers (and list elements). */
    double max() default Double.POSITIVE_INFINITY;

    /** For a {@link ComponentSpec} parameter: the family whose registry resolves its {@code type}. */
    String family() default "";

    /**
     * For a {@link ComponentSpec} parameter: the types the built component may have (one of them) where the family
     * holds more than one kind (a classification loss slot refuses a box loss), checked while the config is bound.
     * The component is built once for the check, so give kinds only to components that are cheap to build.
     */
    Class<?>[] kind() default {};
}
