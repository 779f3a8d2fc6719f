package io.ranksort4j.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.run.TensorBoardReader.Event;
import io.ranksort4j.core.run.TensorBoardReader.Scalar;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorBoardWriterTest {
    /** Where the reference files live; rs-core/src/test/python/tensorboard_golden.py writes and checks them. */
    private static final Path GOLDEN = Path.of("src/test/resources/tensorboard");

    @TempDir
    Path dir;

    /** Wall times 1700000000.5, 1700000001.5, ...: fixed, so that the Java-written golden is reproducible byte for byte. */
    private static DoubleSupplier clock() {
        double[] t = {1_700_000_000.5};
        return () -> t[0]++;
    }

    private static Map<String, Number> map(Object... kv) {
        Map<String, Number> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], (Number) kv[i + 1]);
        }
        return m;
    }

    /** The scalars of java_scalars.tfevents; tensorboard_golden.py asserts the same numbers. */
    private static void writeJavaGolden(Path file) {
        try (TensorBoardWriter w = new TensorBoardWriter(file, clock(), 0)) {
            w.scalars(1, map("train/loss", 1.5, "train/loss_rank", 0.75, "train/lr", 0.01, "train/grad_norm", 12.25));
            w.scalars(2, map("train/loss", 1.25, "train/loss_rank", 0.625, "train/lr", 0.02, "train/grad_norm", 9.5));
            w.scalars(3, map("train/loss", 1.0, "train/loss_rank", 0.5, "train/lr", 0.02, "train/grad_norm", 7.0));
            w.scalar("val/AP", 3, 0.375);
            w.scalar("val/AP50", 3, 0.6125);
        }
    }

    /** java_resume/: a run killed after logging step 4 and resumed from its checkpoint at step 2 (next step 3). */
    private static void writeResumeGolden(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (TensorBoardWriter w = new TensorBoardWriter(dir.resolve("events.out.tfevents.1700000000.golden"), clock(), 0)) {
            for (int step = 1; step <= 4; step++) {
                w.scalar("train/loss", step, 10 - step);
            }
        }
        try (TensorBoardWriter w = new TensorBoardWriter(dir.resolve("events.out.tfevents.1700000100.golden"), clock(), 3)) {
            for (int step = 3; step <= 5; step++) {
                w.scalar("train/loss", step, 100 - step);
            }
        }
    }

    @Test
    void scalarsReadBackWithTheirStepsAndWallTimes() throws IOException {
        Path file = dir.resolve("events.out.tfevents.1.test");
        writeJavaGolden(file);

        List<Event> events = TensorBoardReader.read(file);
        assertThat(events).hasSize(6);
        assertThat(events.get(0)).isEqualTo(new Event(1_700_000_000.5, 0, "brain.Event:2", 0, Map.of()));
        assertThat(events.get(1).scalars()).containsExactly(Map.entry("train/loss", 1.5f), Map.entry("train/loss_rank", 0.75f),
                Map.entry("train/lr", 0.01f), Map.entry("train/grad_norm", 12.25f));
        assertThat(events.get(1).step()).isEqualTo(1);
        assertThat(events.get(1).wallTime()).isEqualTo(1_700_000_001.5);
        assertThat(events.get(1).fileVersion()).isNull();

        Map<String, List<Scalar>> curves = TensorBoardReader.scalars(file);
        assertThat(curves.keySet()).containsExactly("train/loss", "train/loss_rank", "train/lr", "train/grad_norm", "val/AP", "val/AP50");
        assertThat(curves.get("train/loss")).extracting(Scalar::step).containsExactly(1L, 2L, 3L);
        assertThat(curves.get("train/loss")).extracting(Scalar::value).containsExactly(1.5f, 1.25f, 1.0f);
        assertThat(curves.get("val/AP50")).containsExactly(new Scalar(3, 1_700_000_005.5, 0.6125f));
    }

    @Test
    void aResumedWriterStartsWithASessionStartAtItsFirstStep() throws IOException {
        writeResumeGolden(dir);
        List<Event> resumed = TensorBoardReader.read(dir.resolve("events.out.tfevents.1700000100.golden"));
        assertThat(resumed.get(0).fileVersion()).isEqualTo("brain.Event:2");
        assertThat(resumed.get(0).step()).isEqualTo(3);
        assertThat(resumed.get(1).sessionLogStatus()).isEqualTo(1);
        assertThat(resumed.get(1).step()).isEqualTo(3);
        assertThat(resumed.subList(2, 5)).extracting(Event::step).containsExactly(3L, 4L, 5L);
    }

    @Test
    void aDamagedByteIsCaughtByTheCrcsNamingTheFile() throws IOException {
        Path file = dir.resolve("events.out.tfevents.1.test");
        writeJavaGolden(file);
        byte[] good = Files.readAllBytes(file);
        int second = 8 + 4 + (int) (good[0] & 0xff) + 4; // the first record (file version) is under 256 bytes

        byte[] data = good.clone();
        data[second + 12 + 5] ^= 0x10;
        Files.write(file, data);
        assertThatThrownBy(() -> TensorBoardReader.read(file)).isInstanceOf(IOException.class)
                .hasMessage("TensorBoard events file " + file + " is damaged at byte " + second + ": data CRC mismatch");

        byte[] length = good.clone();
        length[second] ^= 0x01;
        Files.write(file, length);
        assertThatThrownBy(() -> TensorBoardReader.read(file)).hasMessageEndingWith("damaged at byte " + second + ": length CRC mismatch");

        byte[] crc = good.clone();
        crc[crc.length - 1] ^= (byte) 0x80;
        Files.write(file, crc);
        assertThatThrownBy(() -> TensorBoardReader.read(file)).hasMessageEndingWith(": data CRC mismatch");

        Files.write(file, java.util.Arrays.copyOf(good, good.length - 3));
        assertThatThrownBy(() -> TensorBoardReader.read(file)).hasMessageContaining(file.toString()).hasMessageEndingWith("cut short");
    }

    @Test
    void readsWhatPyTorchsSummaryWriterWrote() throws IOException {
        JsonNode expected = Json.MAPPER.readTree(GOLDEN.resolve("python_scalars.json").toFile());
        Map<String, List<Scalar>> curves = TensorBoardReader.scalars(GOLDEN.resolve("python_scalars.tfevents"));
        List<String> tags = new ArrayList<>();
        expected.fieldNames().forEachRemaining(tags::add);
        assertThat(curves.keySet()).containsExactlyInAnyOrderElementsOf(tags);
        for (String tag : tags) {
            List<Scalar> got = curves.get(tag);
            assertThat(got).as(tag).hasSize(expected.get(tag).size());
            Iterator<JsonNode> points = expected.get(tag).elements();
            for (Scalar s : got) {
                JsonNode p = points.next();
                assertThat(s.step()).as(tag).isEqualTo(p.get(0).asLong());
                // the JSON holds the float32 value TensorBoard stores, printed exactly as a double
                assertThat(s.value()).as(tag + " at " + s.step()).isEqualTo((float) p.get(1).asDouble());
            }
        }
        assertThat(TensorBoardReader.read(GOLDEN.resolve("python_scalars.tfevents")).get(0).fileVersion()).isEqualTo("brain.Event:2");
    }

    /** The committed files tensorboard_golden.py checked with TensorBoard's EventAccumulator are what the writer writes today. */
    @Test
    void theWriterStillWritesTheFilesTensorBoardWasCheckedOn() throws IOException {
        Path out = Path.of("target/tensorboard-golden");
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("java_scalars.tfevents"));
        writeJavaGolden(out.resolve("java_scalars.tfevents"));
        TensorBoardWriter.deleteEventFiles(out.resolve("java_resume"));
        writeResumeGolden(out.resolve("java_resume"));
        String regenerate = " differs from " + out + "; if the change is meant, copy it over and rerun tensorboard_golden.py";
        for (String f : List.of("java_scalars.tfevents", "java_resume/events.out.tfevents.1700000000.golden",
                "java_resume/events.out.tfevents.1700000100.golden")) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(GOLDEN.resolve(f) + regenerate).isEqualTo(Files.readAllBytes(GOLDEN.resolve(f)));
        }
    }

    @Test
    void openNamesTheFileAsTensorFlowDoesAndNeverReusesAName() throws IOException {
        long before = System.currentTimeMillis() / 1000;
        try (TensorBoardWriter a = TensorBoardWriter.open(dir, 0); TensorBoardWriter b = TensorBoardWriter.open(dir, 0)) {
            String name = a.file().getFileName().toString();
            assertThat(name).matches("events\\.out\\.tfevents\\.\\d+\\.[A-Za-z0-9._-]+");
            assertThat(Long.parseLong(name.split("\\.")[3])).isBetween(before, System.currentTimeMillis() / 1000);
            assertThat(b.file()).isNotEqualTo(a.file());
            a.scalar("x", 1, 2);
            // flushed as it is logged: a running TensorBoard sees it before the file is closed
            assertThat(TensorBoardReader.scalars(a.file()).get("x")).extracting(Scalar::value).containsExactly(2f);
        }
        TensorBoardWriter.deleteEventFiles(dir);
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aFileThatCannotBeCreatedIsNamed() {
        Path missing = dir.resolve("no/such/dir/events.out.tfevents.1.test");
        assertThatThrownBy(() -> new TensorBoardWriter(missing, clock(), 0)).isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("cannot create TensorBoard events file " + missing);
    }
}
