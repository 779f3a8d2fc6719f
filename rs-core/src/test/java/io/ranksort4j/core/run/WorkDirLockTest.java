package io.ranksort4j.core.run;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkDirLockTest {
    @TempDir
    Path dir;

    @Test
    void aHeldWorkDirIsRefusedNamingItsHolderAndFreeAgainOnceReleased() {
        try (WorkDirLock held = WorkDirLock.acquire(dir, "train")) {
            assertThatThrownBy(() -> WorkDirLock.acquire(dir, "test")).hasMessageContaining("work dir " + dir + " is in use by another run (rs4j train, pid "
                    + ProcessHandle.current().pid());
        }
        WorkDirLock.acquire(dir, "test").close();
    }
}
