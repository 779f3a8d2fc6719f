package io.ranksort4j.core.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One writer per run directory: an OS lock on {@code work_dir/.lock}, so a second {@code rs4j train} or {@code test}
 * on the same directory refuses instead of interleaving checkpoints and logs. The kernel drops the lock when the
 * holder exits, even by kill -9, so a stale file never blocks a later run.
 */
public final class WorkDirLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock for {@code command}, or throws naming the process that holds it. */
    public static WorkDirLock acquire(Path workDir, String command) {
        Path f = workDir.resolve(FILE);
        try {
            Files.createDirectories(workDir);
            FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = Files.readString(f, StandardCharsets.UTF_8).trim();
                ch.close();
                throw new IllegalStateException("work dir " + workDir + " is in use by another run (" + (holder.isEmpty() ? "unknown process" : holder)
                        + "); wait for it to finish, or give this run another --work-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("rs4j " + command + ", pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            return new WorkDirLock(ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock work dir " + workDir + " (" + f + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
