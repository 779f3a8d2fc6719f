package io.ranksort4j.bench.ablate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AblationTableTest {
    @Test
    void variantNamesWithQuotesCommasAndBarsStayOneFieldAndOneCell() {
        String name = "RS, \"no sorting\" | δ = 0.5";
        assertThat(Ablation.csvField(name)).isEqualTo("\"RS, \"\"no sorting\"\" | δ = 0.5\"");
        assertThat(Ablation.markdownCell(name)).isEqualTo("RS, \"no sorting\" \\| δ = 0.5");
        assertThat(Ablation.markdownCell("two\nlines")).isEqualTo("two lines");
    }
}
