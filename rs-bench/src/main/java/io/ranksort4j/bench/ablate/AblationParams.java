package io.ranksort4j.bench.ablate;

import io.ranksort4j.core.config.Param;
import java.util.List;

/** An ablation file: a base experiment, named variants (each a list of overrides), seeds. */
public record AblationParams(
        @Param(value = "the base experiment config, relative to the working directory") String base,
        @Param(value = "overrides applied to every variant (key = value)", def = "[]") List<String> overrides,
        @Param(value = "seeds; every variant runs once per seed", def = "[1, 2]") List<Integer> seeds,
        @Param(value = "the variants, in table order") List<Variant> variants,
        @Param(value = "where runs go; empty = work_dirs/ablations/<file name>", def = "\"\"") String workDir) {

    /** One row of the table. */
    public record Variant(
            @Param(value = "row label") String name,
            @Param(value = "overrides (key = value), as --set takes them", def = "[]") List<String> set) {}

    public AblationParams {
        if (variants.isEmpty() || seeds.isEmpty()) {
            throw new IllegalArgumentException("an ablation needs at least one variant and one seed");
        }
    }
}
