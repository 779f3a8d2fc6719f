package io.ranksort4j.core.run;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a TensorBoard events file back (every record's CRCs checked): what {@link TensorBoardWriter} and TensorFlow write. */
public final class TensorBoardReader {
    private TensorBoardReader() {
    }

    /** One event: its scalars ({@code simple_value}s by tag, in file order), file version or SessionLog status where set. */
    public record Event(double wallTime, long step, String fileVersion, int sessionLogStatus, Map<String, Float> scalars) {
    }

    /** One point of a scalar curve. */
    public record Scalar(long step, double wallTime, float value) {
    }

    /** Every event of the file, in order; a damaged record (bad CRC, cut short, not an Event) fails naming the file and offset. */
    public static List<Event> read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        List<Event> events = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            int at = b.position();
            if (b.remaining() < 12) {
                throw damaged(file, at, "record header cut short");
            }
            long length = b.getLong();
            int lengthCrc = b.getInt();
            if (lengthCrc != TensorBoardWriter.maskedCrc(bytes, at, 8)) {
                throw damaged(file, at, "length CRC mismatch");
            }
            if (length < 0 || length > b.remaining() - 4) {
                throw damaged(file, at, "record of " + length + " bytes cut short");
            }
            int dataAt = b.position();
            b.position(dataAt + (int) length);
            int dataCrc = b.getInt();
            if (dataCrc != TensorBoardWriter.maskedCrc(bytes, dataAt, (int) length)) {
                throw damaged(file, at, "data CRC mismatch");
            }
            try {
                events.add(event(CodedInputStream.newInstance(bytes, dataAt, (int) length)));
            } catch (IOException e) {
                throw damaged(file, at, "not an Event (" + e.getMessage() + ")");
            }
        }
        return events;
    }

    /** The scalar curves of the file by tag (tags in order of first appearance), points in file order. */
    public static Map<String, List<Scalar>> scalars(Path file) throws IOException {
        Map<String, List<Scalar>> curves = new LinkedHashMap<>();
        for (Event e : read(file)) {
            e.scalars().forEach((tag, v) -> curves.computeIfAbsent(tag, t -> new ArrayList<>()).add(new Scalar(e.step(), e.wallTime(), v)));
        }
        return curves;
    }

    private static IOException damaged(Path file, int offset, String why) {
        return new IOException("TensorBoard events file " + file + " is damaged at byte " + offset + ": " + why);
    }

    private static Event event(CodedInputStream in) throws IOException {
        double wallTime = 0;
        long step = 0;
        String fileVersion = null;
        int status = 0;
        Map<String, Float> scalars = new LinkedHashMap<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TensorBoardWriter.EVENT_WALL_TIME && wire(tag) == WireFormat.WIRETYPE_FIXED64) {
                wallTime = in.readDouble();
            } else if (field == TensorBoardWriter.EVENT_STEP && wire(tag) == WireFormat.WIRETYPE_VARINT) {
                step = in.readInt64();
            } else if (field == TensorBoardWriter.EVENT_FILE_VERSION && wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                fileVersion = in.readStringRequireUtf8();
            } else if (field == TensorBoardWriter.EVENT_SUMMARY && wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                summary(in.readBytes().newCodedInput(), scalars);
            } else if (field == TensorBoardWriter.EVENT_SESSION_LOG && wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                status = sessionLogStatus(in.readBytes().newCodedInput());
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return new Event(wallTime, step, fileVersion, status, scalars);
    }

    private static void summary(CodedInputStream in, Map<String, Float> scalars) throws IOException {
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == TensorBoardWriter.SUMMARY_VALUE && wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                value(in.readBytes().newCodedInput(), scalars);
            } else if (!in.skipField(tag)) {
                break;
            }
        }
    }

    /** A Summary.Value; one holding something other than a simple_value (image, histogram, tensor) is passed over. */
    private static void value(CodedInputStream in, Map<String, Float> scalars) throws IOException {
        String name = null;
        Float simple = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == TensorBoardWriter.VALUE_TAG && wire(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                name = in.readStringRequireUtf8();
            } else if (field == TensorBoardWriter.VALUE_SIMPLE_VALUE && wire(tag) == WireFormat.WIRETYPE_FIXED32) {
                simple = in.readFloat();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        if (name != null && simple != null) {
            scalars.put(name, simple);
        }
    }

    private static int sessionLogStatus(CodedInputStream in) throws IOException {
        int status = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == TensorBoardWriter.SESSION_LOG_STATUS && wire(tag) == WireFormat.WIRETYPE_VARINT) {
                status = in.readEnum();
            } else if (!in.skipField(tag)) {
                break;
            }
        }
        return status;
    }

    private static int wire(int tag) {
        return WireFormat.getTagWireType(tag);
    }
}
