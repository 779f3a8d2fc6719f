package io.ranksort4j.core.weights;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch checkpoint into named tensors without Python: the zip format {@code torch.save} writes since 1.6
 * ({@code NAME/data.pkl} and {@code NAME/data/KEY}) and the legacy format ({@code _use_new_zipfile_serialization=False}).
 * A state_dict nested under {@code state_dict} (mmdetection) or {@code model} (detectron2) is found, nested dicts are
 * flattened with dots, and a {@code module.} prefix that every name carries (DataParallel) is dropped.
 */
public final class TorchCheckpoint {
    /** How the file was written. */
    public enum Format { ZIP, LEGACY }

    private static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);
    private static final long LEGACY_PROTOCOL = 1001;
    private static final String FIX = "save the state_dict with torch.save(model.state_dict(), FILE) and try again";

    private final Path file;
    private final Format format;
    private final String nestedUnder;
    private final List<TorchTensor> tensors;
    private final List<String> skipped;

    private TorchCheckpoint(Path file, Format format, String nestedUnder, List<TorchTensor> tensors, List<String> skipped) {
        this.file = file;
        this.format = format;
        this.nestedUnder = nestedUnder;
        this.tensors = List.copyOf(tensors);
        this.skipped = List.copyOf(skipped);
    }

    public Path file() {
        return file;
    }

    public Format format() {
        return format;
    }

    /** The top-level key that held the state_dict ({@code state_dict}, {@code model}), or "" for a bare state_dict. */
    public String nestedUnder() {
        return nestedUnder;
    }

    /** The state_dict's tensors in file order. */
    public List<TorchTensor> tensors() {
        return tensors;
    }

    /** Entries of the state_dict that are not tensors (name: Python type); they are not read. */
    public List<String> skipped() {
        return skipped;
    }

    /** The tensors by name, in file order. */
    public Map<String, TorchTensor> byName() {
        Map<String, TorchTensor> m = new LinkedHashMap<>();
        tensors.forEach(t -> m.put(t.name(), t));
        return m;
    }

    /** True if the file starts like a PyTorch checkpoint of either format (an .npz, also a zip, is not one). */
    public static boolean looksLikeCheckpoint(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            if (head.length >= 3 && (head[0] & 0xff) == 0x80 && head[1] == 2 && (head[2] & 0xff) == 0x8a) {
                return true;
            }
            if (head.length == 4 && head[0] == 'P' && head[1] == 'K') {
                try (ZipFile zip = new ZipFile(file.toFile())) {
                    return pickleEntry(zip) != null;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    /** Reads the checkpoint's state_dict; every problem names the file, what is wrong, and what to do. */
    public static TorchCheckpoint read(Path file) {
        try {
            byte[] head;
            try (InputStream in = Files.newInputStream(file)) {
                head = in.readNBytes(512);
            }
            if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
                return readZip(file);
            }
            if (head.length >= 3 && (head[0] & 0xff) == 0x80 && (head[2] & 0xff) == 0x8a) {
                return readLegacy(file);
            }
            if (head.length >= 262 && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar")) {
                throw new IllegalArgumentException(file + ": a tar checkpoint of torch < 0.4, which this reader does not support; "
                        + "load it with torch and " + FIX);
            }
            throw new IllegalArgumentException(file + ": not a PyTorch checkpoint (neither torch.save's zip format nor its legacy "
                    + "format); give a .pth/.pt file written by torch.save, or an .npz");
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read the checkpoint: " + e.getMessage(), e);
        }
    }

    private static String pickleEntry(ZipFile zip) {
        for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
            String n = en.nextElement().getName();
            if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                return n;
            }
        }
        return zip.getEntry("data.pkl") != null ? "data.pkl" : null;
    }

    private static TorchCheckpoint readZip(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String pkl = pickleEntry(zip);
            if (pkl == null) {
                throw new IllegalArgumentException(file + ": a zip file but not a PyTorch checkpoint (no NAME/data.pkl inside)"
                        + (zip.stream().anyMatch(e -> e.getName().endsWith(".npy")) ? "; it holds .npy arrays, so read it as an .npz" : "")
                        + "; give a file written by torch.save");
            }
            String prefix = pkl.substring(0, pkl.length() - "data.pkl".length());
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String s = new String(zip.getInputStream(bo).readAllBytes(), StandardCharsets.US_ASCII).trim();
                order = s.equals("big") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            }
            Object root;
            try (InputStream in = new BufferedInputStream(zip.getInputStream(zip.getEntry(pkl)))) {
                root = unpickle(file, in);
            }
            Found found = find(file, root);
            Map<String, List<Named>> byStorage = byStorage(found);
            List<TorchTensor> out = new ArrayList<>(Collections.nCopies(found.tensors.size(), null));
            for (Map.Entry<String, List<Named>> e : byStorage.entrySet()) {
                ZipEntry data = zip.getEntry(prefix + "data/" + e.getKey());
                if (data == null) {
                    throw new IllegalArgumentException(file + ": storage " + e.getKey() + " (used by " + e.getValue().get(0).name
                            + ") is missing from the archive; the file is truncated or corrupt, download or save it again");
                }
                byte[] bytes;
                try (InputStream in = zip.getInputStream(data)) {
                    bytes = in.readAllBytes();
                }
                materialize(file, ByteBuffer.wrap(bytes).order(order), e.getValue(), out);
            }
            return new TorchCheckpoint(file, Format.ZIP, found.nestedUnder, out, found.skipped);
        }
    }

    private static TorchCheckpoint readLegacy(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            Object magic = unpickle(file, in);
            if (!(magic instanceof Long || magic instanceof BigInteger) || !LEGACY_MAGIC.equals(new BigInteger(String.valueOf(magic)))) {
                throw new IllegalArgumentException(file + ": not a PyTorch checkpoint (a pickle, but without torch's magic number); "
                        + "give a .pth/.pt file written by torch.save");
            }
            Object protocol = unpickle(file, in);
            if (!Long.valueOf(LEGACY_PROTOCOL).equals(protocol)) {
                throw new IllegalArgumentException(file + ": legacy checkpoint protocol " + protocol + " is not " + LEGACY_PROTOCOL
                        + "; " + FIX);
            }
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            if (unpickle(file, in) instanceof Map<?, ?> sysInfo && Boolean.FALSE.equals(sysInfo.get("little_endian"))) {
                order = ByteOrder.BIG_ENDIAN;
            }
            Object root = unpickle(file, in);
            Found found = find(file, root);
            Map<String, List<Named>> byStorage = byStorage(found);
            Object keys = unpickle(file, in);
            if (!(keys instanceof List<?> keyList)) {
                throw new IllegalArgumentException(file + ": the legacy checkpoint's storage key list is missing; the file is corrupt");
            }
            List<TorchTensor> out = new ArrayList<>(Collections.nCopies(found.tensors.size(), null));
            for (Object k : keyList) {
                String key = String.valueOf(k);
                StorageRef ref = found.storages.get(key);
                long count = Long.reverseBytes(in.readLong());
                if (ref == null || ref.dtype == null) {
                    if (byStorage.containsKey(key)) {
                        throw unsupported(file, byStorage.get(key).get(0).name, ref == null ? "?" : ref.className);
                    }
                    if (ref == null) {
                        throw new IllegalArgumentException(file + ": storage " + key + " has no type in the checkpoint; the file is corrupt");
                    }
                    throw new IllegalArgumentException(file + ": storage " + key + " has type " + ref.className
                            + ", whose element size this reader does not know, so the storages after it cannot be found; " + FIX);
                }
                long nbytes = count * ref.dtype.elementSize();
                if (count < 0 || nbytes > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(file + ": storage " + key + " claims " + count + " elements; the file is corrupt "
                            + "or a storage over 2 GB (not supported)");
                }
                List<Named> users = byStorage.get(key);
                if (users == null) {
                    in.skipNBytes(nbytes);
                    continue;
                }
                byte[] bytes = new byte[(int) nbytes];
                in.readFully(bytes);
                materialize(file, ByteBuffer.wrap(bytes).order(order), users, out);
            }
            for (int i = 0; i < out.size(); i++) {
                if (out.get(i) == null) {
                    throw new IllegalArgumentException(file + ": the data of " + found.tensors.get(i).name
                            + " is missing (its storage is not in the file); the file is truncated or corrupt");
                }
            }
            return new TorchCheckpoint(file, Format.LEGACY, found.nestedUnder, out, found.skipped);
        } catch (java.io.EOFException e) {
            throw new IllegalArgumentException(file + ": the checkpoint ends too early; it is truncated, download or save it again", e);
        }
    }

    // ---------------------------------------------------------------- unpickling

    /** A storage as the pickle names it; the bytes come later (legacy) or from another zip entry. */
    private record StorageRef(String key, TorchDtype dtype, String className, long elementOffset) {}

    /** A tensor as _rebuild_tensor_v2 describes it: a strided view of a storage. */
    private record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {}

    private record Named(int index, String name, TensorRef ref) {}

    private static final class Found {
        final List<Named> tensors = new ArrayList<>();
        final List<String> skipped = new ArrayList<>();
        final Map<String, StorageRef> storages = new LinkedHashMap<>();
        String nestedUnder = "";
    }

    private static Object unpickle(Path file, InputStream in) throws IOException {
        try {
            return new Unpickler(in, TorchCheckpoint::persistentLoad, TorchCheckpoint::reduce).load();
        } catch (java.io.EOFException e) {
            throw e;
        } catch (IOException | ClassCastException | IndexOutOfBoundsException | IllegalStateException e) {
            throw new IllegalArgumentException(file + ": the checkpoint's pickle is malformed (" + e.getMessage()
                    + "); the file is corrupt or not written by torch.save", e);
        }
    }

    private static Object persistentLoad(Object pid) {
        if (!(pid instanceof Unpickler.Tuple t) || t.items().size() < 5 || !"storage".equals(t.items().get(0))) {
            throw new IllegalStateException("unsupported persistent id " + pid);
        }
        List<Object> p = t.items();
        String cls = p.get(1) instanceof Unpickler.Global g ? g.name() : String.valueOf(p.get(1));
        TorchDtype dtype = TorchDtype.ofStorageClass(cls).orElse(null);
        String key = String.valueOf(p.get(2));
        long offset = 0;
        if (p.size() > 5 && p.get(5) instanceof Unpickler.Tuple view && view.items().size() == 3) {
            // a legacy view of a larger storage, (view_key, offset in elements, size): its bytes are the root key's
            offset = ((Number) view.items().get(1)).longValue();
        }
        return new StorageRef(key, dtype, cls, offset);
    }

    private static Object reduce(Unpickler.Call c) {
        String f = c.callable.qualified();
        List<Object> a = c.args;
        switch (f) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> m = new LinkedHashMap<>();
                if (!a.isEmpty() && a.get(0) instanceof List<?> pairs) {
                    for (Object pair : pairs) {
                        List<Object> kv = pair instanceof Unpickler.Tuple t ? t.items() : castList(pair);
                        m.put(kv.get(0), kv.get(1));
                    }
                }
                return m;
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (!(a.get(0) instanceof StorageRef s)) {
                    return c;
                }
                return new TensorRef(s, ((Number) a.get(1)).longValue(), longs(a.get(2)), longs(a.get(3)));
            }
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                return a.get(0);
            }
            default -> {
                return c;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(Object o) {
        return (List<Object>) o;
    }

    private static long[] longs(Object tuple) {
        List<Object> items = tuple instanceof Unpickler.Tuple t ? t.items() : castList(tuple);
        return items.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }

    private static Found find(Path file, Object root) {
        Found found = new Found();
        if (!(root instanceof Map<?, ?> top)) {
            if (root instanceof Unpickler.Call call) {
                throw new IllegalArgumentException(file + ": holds a pickled Python object (" + call.callable.qualified()
                        + "), not a state_dict; " + FIX);
            }
            throw new IllegalArgumentException(file + ": holds a " + Unpickler.typeName(root) + ", not a state_dict (a dict of tensors); " + FIX);
        }
        Object sd = root;
        for (String k : List.of("state_dict", "model")) {
            if (top.get(k) instanceof Map<?, ?> inner && hasTensor(inner)) {
                sd = inner;
                found.nestedUnder = k;
                break;
            }
        }
        flatten(file, "", (Map<?, ?>) sd, found);
        if (found.tensors.isEmpty()) {
            throw new IllegalArgumentException(file + ": holds no tensors (top-level keys: " + top.keySet()
                    + "); expected a state_dict, bare or under 'state_dict' or 'model'; " + FIX);
        }
        if (found.tensors.stream().allMatch(n -> n.name.startsWith("module."))) {
            found.tensors.replaceAll(n -> new Named(n.index, n.name.substring("module.".length()), n.ref));
        }
        return found;
    }

    private static boolean hasTensor(Map<?, ?> m) {
        for (Object v : m.values()) {
            if (v instanceof TensorRef || v instanceof Map<?, ?> inner && hasTensor(inner)) {
                return true;
            }
        }
        return false;
    }

    private static void flatten(Path file, String prefix, Map<?, ?> m, Found found) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String name = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof TensorRef t) {
                found.tensors.add(new Named(found.tensors.size(), name, t));
                found.storages.putIfAbsent(t.storage.key, t.storage);
            } else if (v instanceof Map<?, ?> inner) {
                flatten(file, name + ".", inner, found);
            } else if (v instanceof Unpickler.Call c && c.callable.module().equals("torch._utils")) {
                throw new IllegalArgumentException(file + ": tensor " + name + " is stored by " + c.callable.name()
                        + " (a quantized, sparse or otherwise special tensor), which is not supported; convert it in PyTorch "
                        + "(t.dequantize() or t.to_dense()) and save again");
            } else {
                found.skipped.add(name + ": " + Unpickler.typeName(v));
            }
        }
    }

    private static Map<String, List<Named>> byStorage(Found found) {
        Map<String, List<Named>> m = new LinkedHashMap<>();
        for (Named n : found.tensors) {
            m.computeIfAbsent(n.ref.storage.key, k -> new ArrayList<>()).add(n);
        }
        return m;
    }

    // ---------------------------------------------------------------- reading values

    private static IllegalArgumentException unsupported(Path file, String tensor, String storageClass) {
        String dtype = storageClass.endsWith("Storage") ? storageClass.substring(0, storageClass.length() - "Storage".length()) : storageClass;
        return new IllegalArgumentException(file + ": tensor " + tensor + " uses dtype " + dtype + " (" + storageClass
                + "), which is not supported (supported: float16, bfloat16, float32, float64, integer and bool types); convert it in "
                + "PyTorch, e.g. {k: v.float() for k, v in sd.items()}, and save again");
    }

    private static void materialize(Path file, ByteBuffer bytes, List<Named> users, List<TorchTensor> out) {
        for (Named n : users) {
            TensorRef r = n.ref;
            TorchDtype dt = r.storage.dtype;
            if (dt == null) {
                throw unsupported(file, n.name, r.storage.className);
            }
            long storageElems = bytes.capacity() / dt.elementSize();
            long numel = TorchTensor.numel(r.size);
            if (numel > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(file + ": tensor " + n.name + " has " + numel + " elements, more than a Java array holds");
            }
            if (r.size.length != r.stride.length) {
                throw new IllegalArgumentException(file + ": tensor " + n.name + " has size " + Arrays.toString(r.size) + " but stride "
                        + Arrays.toString(r.stride) + "; the file is corrupt");
            }
            long base = r.storage.elementOffset + r.offset;
            long lo = base;
            long hi = base;
            for (int d = 0; d < r.size.length && numel > 0; d++) {
                long span = (r.size[d] - 1) * r.stride[d];
                if (span < 0) {
                    lo += span;
                } else {
                    hi += span;
                }
            }
            if (numel > 0 && (lo < 0 || hi >= storageElems)) {
                throw new IllegalArgumentException(file + ": tensor " + n.name + " (size " + Arrays.toString(r.size) + ", stride "
                        + Arrays.toString(r.stride) + ", offset " + base + ") reads past its storage of " + storageElems
                        + " elements; the file is truncated or corrupt");
            }
            int[] src = sourceIndices(base, r.size, r.stride, (int) numel);
            TorchTensor t;
            switch (dt) {
                case FLOAT32, FLOAT16, BFLOAT16 -> {
                    float[] v = new float[src.length];
                    for (int i = 0; i < v.length; i++) {
                        int e = src[i];
                        v[i] = switch (dt) {
                            case FLOAT32 -> bytes.getFloat(e * 4);
                            case FLOAT16 -> halfToFloat(bytes.getShort(e * 2));
                            default -> Float.intBitsToFloat((bytes.getShort(e * 2) & 0xffff) << 16);
                        };
                    }
                    t = TorchTensor.ofFloats(n.name, r.size, dt, v);
                }
                case FLOAT64 -> {
                    double[] v = new double[src.length];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = bytes.getDouble(src[i] * 8);
                    }
                    t = TorchTensor.ofDoubles(n.name, r.size, v);
                }
                default -> {
                    long[] v = new long[src.length];
                    for (int i = 0; i < v.length; i++) {
                        int e = src[i];
                        v[i] = switch (dt) {
                            case INT64 -> bytes.getLong(e * 8);
                            case INT32 -> bytes.getInt(e * 4);
                            case INT16 -> bytes.getShort(e * 2);
                            case INT8 -> bytes.get(e);
                            case UINT8 -> bytes.get(e) & 0xff;
                            default -> bytes.get(e) != 0 ? 1 : 0;
                        };
                    }
                    t = TorchTensor.ofLongs(n.name, r.size, dt, v);
                }
            }
            out.set(n.index, t);
        }
    }

    /** The storage element of each value in C order: offset + Σ index·stride (views may be transposed or strided). */
    private static int[] sourceIndices(long base, long[] size, long[] stride, int numel) {
        int[] src = new int[numel];
        int nd = size.length;
        long[] idx = new long[nd];
        long pos = base;
        for (int i = 0; i < numel; i++) {
            src[i] = (int) pos;
            for (int d = nd - 1; d >= 0; d--) {
                idx[d]++;
                pos += stride[d];
                if (idx[d] < size[d]) {
                    break;
                }
                pos -= idx[d] * stride[d];
                idx[d] = 0;
            }
        }
        return src;
    }

    /** IEEE 754 binary16 to float, subnormals and infinities included (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1.0p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
