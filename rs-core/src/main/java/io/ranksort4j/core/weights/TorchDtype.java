package io.ranksort4j.core.weights;

import java.util.Arrays;
import java.util.Optional;

/** The tensor element types a checkpoint may hold, with torch's storage class and numpy's .npy code for each. */
public enum TorchDtype {
    FLOAT16("HalfStorage", 2, "float16", "<f2"),
    BFLOAT16("BFloat16Storage", 2, "bfloat16", null),
    FLOAT32("FloatStorage", 4, "float32", "<f4"),
    FLOAT64("DoubleStorage", 8, "float64", "<f8"),
    UINT8("ByteStorage", 1, "uint8", "|u1"),
    INT8("CharStorage", 1, "int8", "|i1"),
    INT16("ShortStorage", 2, "int16", "<i2"),
    INT32("IntStorage", 4, "int32", "<i4"),
    INT64("LongStorage", 8, "int64", "<i8"),
    BOOL("BoolStorage", 1, "bool", "|b1");

    private final String storageClass;
    private final int elementSize;
    private final String torchName;
    private final String npyDescr;

    TorchDtype(String storageClass, int elementSize, String torchName, String npyDescr) {
        this.storageClass = storageClass;
        this.elementSize = elementSize;
        this.torchName = torchName;
        this.npyDescr = npyDescr;
    }

    public int elementSize() {
        return elementSize;
    }

    /** torch's name without the {@code torch.} prefix: float32, bfloat16, int64, ... */
    public String torchName() {
        return torchName;
    }

    public boolean isFloatingPoint() {
        return ordinal() <= FLOAT64.ordinal();
    }

    /** The .npy type code, little-endian; bfloat16 has none (numpy lacks the type). */
    public Optional<String> npyDescr() {
        return Optional.ofNullable(npyDescr);
    }

    /** The dtype of a torch storage class name such as {@code FloatStorage}; empty for one this reader cannot read. */
    public static Optional<TorchDtype> ofStorageClass(String name) {
        return Arrays.stream(values()).filter(d -> d.storageClass.equals(name)).findFirst();
    }

    /** The dtype of a .npy type code such as {@code <f4} (any byte-order mark). */
    public static Optional<TorchDtype> ofNpyDescr(String descr) {
        String code = descr.length() == 3 ? descr.substring(1) : descr;
        return Arrays.stream(values()).filter(d -> d.npyDescr != null && d.npyDescr.substring(1).equals(code)).findFirst();
    }
}
