package io.ranksort4j.core.run;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;
import java.util.zip.CRC32C;

/**
 * Scalars in a TensorBoard event file ({@code events.out.tfevents.<unix seconds>.<hostname>}), written as TensorFlow's
 * EventsWriter and PyTorch's SummaryWriter write them, so that {@code tensorboard --logdir} plots a run while it trains.
 *
 * <p>The file is a sequence of TFRecords holding {@code tensorboard.Event} messages (tensorboard/compat/proto/event.proto,
 * summary.proto). The few fields needed are encoded by number with protobuf-java's {@link CodedOutputStream}: the
 * library gets the wire format (varints, little-endian fixed32/64, UTF-8 strings, sizes) right, and encoding by
 * number needs neither protoc nor classes generated from TensorFlow's protos, which would bring far more than the
 * three messages used.
 */
public final class TensorBoardWriter implements AutoCloseable {
    /** How every events file's name starts (TensorBoard reads any file with {@code tfevents} in its name). */
    public static final String FILE_PREFIX = "events.out.tfevents.";
    static final String FILE_VERSION = "brain.Event:2";
    private static final int MASK_DELTA = 0xa282ead8;

    // event.proto: Event
    static final int EVENT_WALL_TIME = 1;
    static final int EVENT_STEP = 2;
    static final int EVENT_FILE_VERSION = 3;
    static final int EVENT_SUMMARY = 5;
    static final int EVENT_SESSION_LOG = 7;
    // event.proto: SessionLog.status, and its START value
    static final int SESSION_LOG_STATUS = 1;
    static final int SESSION_LOG_START = 1;
    // summary.proto: Summary.value, Summary.Value.tag and .simple_value
    static final int SUMMARY_VALUE = 1;
    static final int VALUE_TAG = 1;
    static final int VALUE_SIMPLE_VALUE = 2;

    private final Path file;
    private final OutputStream out;
    private final DoubleSupplier clock;

    /**
     * Opens a new events file in {@code dir}. {@code purgeStep > 0} (a resumed run whose next step is {@code purgeStep})
     * also writes a SessionLog START at that step, as PyTorch's {@code SummaryWriter(purge_step=...)} does: TensorBoard
     * then drops what earlier files logged at that step or later (what a killed run logged after its last checkpoint).
     */
    public static TensorBoardWriter open(Path dir, long purgeStep) {
        Instant now = Instant.now();
        String name = FILE_PREFIX + now.getEpochSecond() + "." + hostname();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory for TensorBoard events " + dir + ": " + e.getMessage(), e);
        }
        // Two writers in the same second (a quick resume) would share a name: a suffix keeps both and sorts after the first,
        // the order TensorBoard reads files in.
        for (int n = 0; ; n++) {
            Path file = dir.resolve(n == 0 ? name : name + "." + n);
            try {
                return new TensorBoardWriter(file, TensorBoardWriter::now, purgeStep);
            } catch (UncheckedIOException e) {
                if (!(e.getCause() instanceof FileAlreadyExistsException) || n >= 1000) {
                    throw e;
                }
            }
        }
    }

    /** Creates {@code file} (it must not exist) and writes the file-version event; {@code clock} gives wall times in seconds. */
    TensorBoardWriter(Path file, DoubleSupplier clock, long purgeStep) {
        this.file = file;
        this.clock = clock;
        try {
            this.out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create TensorBoard events file " + file + ": " + e.getMessage(), e);
        }
        try {
            write(fileVersionEvent(clock.getAsDouble(), Math.max(purgeStep, 0)));
            if (purgeStep > 0) {
                write(sessionStartEvent(clock.getAsDouble(), purgeStep));
            }
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** The events file being written. */
    public Path file() {
        return file;
    }

    /** Writes one scalar. */
    public void scalar(String tag, long step, double value) {
        scalars(step, Map.of(tag, value));
    }

    /** Writes the scalars as one event (one Summary with a value per tag) at {@code step}, and flushes it to the file. */
    public synchronized void scalars(long step, Map<String, ? extends Number> values) {
        if (values.isEmpty()) {
            return;
        }
        Map<String, Float> floats = new LinkedHashMap<>();
        values.forEach((k, v) -> floats.put(k, v.floatValue()));
        write(summaryEvent(clock.getAsDouble(), step, floats));
    }

    /** Removes the events files directly in {@code dir} (a run starting over, as its metrics.jsonl does). */
    public static void deleteEventFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, FILE_PREFIX + "*")) {
            for (Path f : files) {
                if (Files.isRegularFile(f)) {
                    Files.delete(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the old TensorBoard events files in " + dir + ": " + e.getMessage(), e);
        }
    }

    static byte[] fileVersionEvent(double wallTime, long step) {
        byte[] version = FILE_VERSION.getBytes(StandardCharsets.UTF_8);
        return event(wallTime, step, EVENT_FILE_VERSION, version);
    }

    static byte[] sessionStartEvent(double wallTime, long step) {
        return event(wallTime, step, EVENT_SESSION_LOG, encode(CodedOutputStream.computeEnumSize(SESSION_LOG_STATUS, SESSION_LOG_START),
                o -> o.writeEnum(SESSION_LOG_STATUS, SESSION_LOG_START)));
    }

    static byte[] summaryEvent(double wallTime, long step, Map<String, Float> values) {
        int summarySize = 0;
        for (Map.Entry<String, Float> v : values.entrySet()) {
            int size = valueSize(v.getKey(), v.getValue());
            summarySize += CodedOutputStream.computeTagSize(SUMMARY_VALUE) + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
        }
        byte[] summary = encode(summarySize, o -> {
            for (Map.Entry<String, Float> v : values.entrySet()) {
                o.writeTag(SUMMARY_VALUE, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(valueSize(v.getKey(), v.getValue()));
                o.writeString(VALUE_TAG, v.getKey());
                o.writeFloat(VALUE_SIMPLE_VALUE, v.getValue());
            }
        });
        return event(wallTime, step, EVENT_SUMMARY, summary);
    }

    private static int valueSize(String tag, float value) {
        return CodedOutputStream.computeStringSize(VALUE_TAG, tag) + CodedOutputStream.computeFloatSize(VALUE_SIMPLE_VALUE, value);
    }

    /** An Event with wall_time, step (left out when 0, as proto3 leaves out defaults) and one length-delimited field. */
    private static byte[] event(double wallTime, long step, int field, byte[] payload) {
        int size = CodedOutputStream.computeDoubleSize(EVENT_WALL_TIME, wallTime)
                + (step != 0 ? CodedOutputStream.computeInt64Size(EVENT_STEP, step) : 0)
                + CodedOutputStream.computeByteArraySize(field, payload);
        return encode(size, o -> {
            o.writeDouble(EVENT_WALL_TIME, wallTime);
            if (step != 0) {
                o.writeInt64(EVENT_STEP, step);
            }
            o.writeByteArray(field, payload);
        });
    }

    private interface Fields {
        void write(CodedOutputStream o) throws IOException;
    }

    private static byte[] encode(int size, Fields fields) {
        byte[] buf = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(buf);
        try {
            fields.write(o);
            o.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new IllegalStateException("event size miscomputed", e);
        }
        return buf;
    }

    /** TFRecord framing: length (uint64 LE), masked CRC-32C of the length, the data, masked CRC-32C of the data. */
    static byte[] record(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** TFRecord's masked CRC-32C: a CRC of data that itself holds CRCs is otherwise prone to be trivially related. */
    static int maskedCrc(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    private synchronized void write(byte[] event) {
        try {
            out.write(record(event));
            // A running TensorBoard polls the file: each record is on disk (the OS's cache; no fsync) as soon as it is logged.
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write TensorBoard events file " + file + ": " + e.getMessage(), e);
        }
    }

    private static double now() {
        Instant t = Instant.now();
        return t.getEpochSecond() + t.getNano() / 1e9;
    }

    /** The host name as TensorFlow and PyTorch put it in the file name (gethostname), made safe for a file name. */
    static String hostname() {
        String host = null;
        try {
            // gethostname() itself on Linux; InetAddress would also resolve it, which can stall on a badly set up resolver
            Path proc = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(proc)) {
                host = Files.readString(proc, StandardCharsets.UTF_8).trim();
            }
            if (host == null || host.isEmpty()) {
                host = InetAddress.getLocalHost().getHostName();
            }
        } catch (IOException | RuntimeException e) {
            host = null;
        }
        if (host == null || host.isEmpty()) {
            host = "localhost";
        }
        return host.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private void closeQuietly() {
        try {
            out.close();
        } catch (IOException ignored) {
            // already failing with the first error
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close TensorBoard events file " + file + ": " + e.getMessage(), e);
        }
    }
}
