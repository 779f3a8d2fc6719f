package io.ranksort4j.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenFileIsReadableByOthersAsADirectWriteWouldBe() throws Exception {
        Path f = dir.resolve("final_metrics.json");
        AtomicFiles.writeString(f, "{}");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    }

    @Test
    @Tag("fault")
    void aDiskFullHalfwayThroughAResultsFileLeavesThePreviousFileWholeAndNoTempBehind() throws Exception {
        Path results = dir.resolve("results.bbox.json");
        AtomicFiles.writeString(results, "[{\"image_id\": 1}]");
        assertThatThrownBy(() -> AtomicFiles.write(results, out -> {
            out.write("[{\"image_id\": 2}, {\"ima".getBytes());
            throw new IOException("No space left on device");
        })).hasMessageContaining("cannot write " + results).hasMessageContaining("No space left on device");
        assertThat(results).hasContent("[{\"image_id\": 1}]");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("results.bbox.json");
        }
    }
}
