package io.ranksort4j.core.weights;

import io.ranksort4j.core.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes numpy's .npz (a zip of .npy arrays, as {@code np.savez} writes: stored, not compressed) in pure
 * Java. Writing widens float16 and bfloat16 to float32 (exact) and integer types to int64, so that ND4J's
 * {@code Nd4j.createFromNpzFile} reads every array.
 */
public final class NpzFiles {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpzFiles() {}

    /** Writes the tensors as FILE (through a temp file and an atomic move); names become {@code NAME.npy} entries. */
    public static void write(Path file, List<TorchTensor> tensors) {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (TorchTensor t : tensors) {
                byte[] npy = npy(t);
                ZipEntry e = new ZipEntry(t.name() + ".npy");
                // stored like np.savez, which needs size and CRC before the data
                e.setMethod(ZipEntry.STORED);
                e.setSize(npy.length);
                e.setCompressedSize(npy.length);
                CRC32 crc = new CRC32();
                crc.update(npy);
                e.setCrc(crc.getValue());
                zip.putNextEntry(e);
                zip.write(npy);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    static byte[] npy(TorchTensor t) {
        String descr;
        int size;
        if (t.dtype() == TorchDtype.FLOAT64) {
            descr = "<f8";
            size = 8;
        } else if (t.dtype().isFloatingPoint()) {
            descr = "<f4";
            size = 4;
        } else {
            descr = "<i8";
            size = 8;
        }
        StringBuilder shape = new StringBuilder();
        for (long s : t.shape()) {
            shape.append(s).append(", ");
        }
        if (t.shape().length > 1) {
            shape.setLength(shape.length() - 2);
        } else if (t.shape().length == 1) {
            shape.setLength(shape.length() - 1);
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        // numpy pads the header with spaces and a newline so the data starts at a multiple of 64 bytes
        int headerLen = dict.length() + 1;
        int total = MAGIC.length + 4 + headerLen;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        long n = t.numel();
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(MAGIC.length + 4 + h.length + n * size)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        if (t.floats() != null) {
            b.asFloatBuffer().put(t.floats());
        } else if (t.doubles() != null) {
            b.asDoubleBuffer().put(t.doubles());
        } else {
            b.asLongBuffer().put(t.longs());
        }
        return b.array();
    }

    /** Reads every array of an .npz (C order; float16/32 as floats, float64 as doubles, integers and bools as longs). */
    public static List<TorchTensor> read(Path file) {
        List<TorchTensor> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.getName().endsWith(".npy")) {
                    continue;
                }
                String name = e.getName().substring(0, e.getName().length() - 4);
                try (InputStream in = zip.getInputStream(e)) {
                    out.add(readNpy(file, name, in.readAllBytes()));
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (java.util.zip.ZipException e) {
            throw new IllegalArgumentException(file + ": not an .npz (not a zip file: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the .npz: " + e.getMessage(), e);
        }
        return out;
    }

    private static TorchTensor readNpy(Path file, String name, byte[] bytes) {
        String where = file + ": array " + name;
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException(where + " is not a .npy array (bad magic); the .npz is corrupt");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen = major == 1 ? b.getShort(8) & 0xffff : b.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IllegalArgumentException(where + " has an unreadable .npy header: " + header.trim());
        }
        if (f.find() && f.group(1).equals("True")) {
            throw new IllegalArgumentException(where + " is in Fortran order, which is not supported; save it with np.ascontiguousarray");
        }
        String descr = d.group(1);
        TorchDtype dt = TorchDtype.ofNpyDescr(descr).orElseThrow(() -> new IllegalArgumentException(where + " has dtype " + descr
                + ", which is not supported (supported: float16/32/64, int8/16/32/64, uint8, bool)"));
        if (descr.startsWith(">") && dt.elementSize() > 1) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        long[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToLong(Long::parseLong).toArray();
        int n = Math.toIntExact(TorchTensor.numel(shape));
        int off = start + headerLen;
        if ((long) n * dt.elementSize() > bytes.length - off) {
            throw new IllegalArgumentException(where + " has fewer bytes than its shape " + Arrays.toString(shape) + " needs; the .npz is truncated");
        }
        return switch (dt) {
            case FLOAT32, FLOAT16 -> {
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    v[i] = dt == TorchDtype.FLOAT32 ? b.getFloat(off + 4 * i) : TorchCheckpoint.halfToFloat(b.getShort(off + 2 * i));
                }
                yield TorchTensor.ofFloats(name, shape, dt, v);
            }
            case FLOAT64 -> {
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = b.getDouble(off + 8 * i);
                }
                yield TorchTensor.ofDoubles(name, shape, v);
            }
            default -> {
                long[] v = new long[n];
                for (int i = 0; i < n; i++) {
                    int p = off + i * dt.elementSize();
                    v[i] = switch (dt) {
                        case INT64 -> b.getLong(p);
                        case INT32 -> b.getInt(p);
                        case INT16 -> b.getShort(p);
                        case INT8 -> b.get(p);
                        case UINT8 -> b.get(p) & 0xff;
                        default -> b.get(p) != 0 ? 1 : 0;
                    };
                }
                yield TorchTensor.ofLongs(name, shape, dt, v);
            }
        };
    }
}
