package io.ranksort4j.detectors.engine;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Has glibc map native blocks of 1 MB and more directly, so that freeing one returns it to the system. ND4J's arrays
 * outside DL4J's workspaces (all of them while the workspaces learn their size on a step of a new input shape) come
 * from malloc; under glibc's dynamic threshold (up to 32 MB) the freed ones stay resident in its arenas, fragmented
 * by the changing shapes, beside the workspaces. At R-50 and 1333 × 800 that made the peak 9.2 GB where the steps need
 * 5.2 GB (docs/design.md, "Memory at the paper's resolution"). Setting it here rather than by MALLOC_MMAP_THRESHOLD_
 * in the launcher covers tests and embedded use alike.
 */
final class NativeMemory {
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int THRESHOLD = 1 << 20;

    private interface C extends Library {
        int mallopt(int param, int value);
    }

    private NativeMemory() {}

    /** Sets the threshold (once per process is enough; again is harmless); false where there is no glibc. Trainer.sgd calls it. */
    static boolean mapLargeBlocks() {
        if (!Platform.isLinux()) {
            return false;
        }
        try {
            return ((C) Native.loadLibrary("c", C.class)).mallopt(M_MMAP_THRESHOLD, THRESHOLD) == 1;
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return false; // not glibc (musl has no mallopt): its allocator decides
        }
    }
}
