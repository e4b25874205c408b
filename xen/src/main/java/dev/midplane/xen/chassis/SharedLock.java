package dev.midplane.xen.chassis;

import dev.midplane.core.MidplaneException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises changes to the shared directory: an in-JVM lock per directory and an advisory lock on
 * {@code .midplane.lock} in it, so operators' tools on several machines wait for each other (on a
 * file system that supports {@code fcntl} locks, as NFSv4 does). Re-entrant in the owning thread.
 * A candidate for core, next to {@code HostLock}, which needs a host where this needs only a
 * directory.
 */
final class SharedLock {
  private static final ConcurrentHashMap<Path, ReentrantLock> LOCKS = new ConcurrentHashMap<>();
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final Path directory;
  private final ReentrantLock lock;
  private FileChannel channel;
  private FileLock fileLock;

  SharedLock(Path directory) {
    this.directory = directory.toAbsolutePath().normalize();
    this.lock = LOCKS.computeIfAbsent(this.directory, d -> new ReentrantLock());
  }

  /** A held lock; closing it releases one hold. */
  interface Held extends AutoCloseable {
    @Override
    void close();
  }

  Held acquire() {
    try {
      if (!lock.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new MidplaneException("the shared directory " + directory + " stayed locked by this process for " + WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MidplaneException("interrupted while waiting for the lock of " + directory, e);
    }
    if (lock.getHoldCount() == 1) {
      try {
        Files.createDirectories(directory);
        channel = FileChannel.open(directory.resolve(".midplane.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((fileLock = channel.tryLock()) == null) {
          if (System.nanoTime() > deadline) {
            throw new MidplaneException("another process held " + directory.resolve(".midplane.lock") + " for " + WAIT);
          }
          Thread.sleep(50);
        }
      } catch (IOException | OverlappingFileLockException e) {
        release();
        throw new MidplaneException("cannot lock the shared directory " + directory + ": " + e.getMessage(), e);
      } catch (InterruptedException e) {
        release();
        Thread.currentThread().interrupt();
        throw new MidplaneException("interrupted while waiting for the lock of " + directory, e);
      } catch (RuntimeException e) {
        release();
        throw e;
      }
    }
    return this::release;
  }

  private void release() {
    if (lock.getHoldCount() == 1) {
      try {
        if (fileLock != null) {
          fileLock.release();
        }
        if (channel != null) {
          channel.close();
        }
      } catch (IOException e) {
        // closing the channel releases the lock in any case
      } finally {
        fileLock = null;
        channel = null;
      }
    }
    lock.unlock();
  }
}
