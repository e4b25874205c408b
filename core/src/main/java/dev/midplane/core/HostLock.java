package dev.midplane.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises changes of one kind on one host: an in-JVM lock per (host, root, name), and — when
 * the host's files are on this machine's file system — an advisory lock on {@code
 * /run/midplane/<name>.lock} under the host's root, so two processes using the SDK on the same host
 * wait for each other too. Re-entrant in the owning thread. The file lock is a POSIX record lock
 * ({@code fcntl}, what {@link java.nio.channels.FileChannel#tryLock()} takes on Linux), which the
 * {@code flock(1)} command does not see; a shell script that wants to join in needs a tool that
 * takes {@code fcntl} locks.
 *
 * <pre>{@code
 * try (HostLock l = HostLock.acquire(host, "antispoof", Duration.ofSeconds(30))) {
 *   ... read, render, apply ...
 * }
 * }</pre>
 */
public final class HostLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HostLock.class);
  private static final ConcurrentHashMap<String, Holder> HOLDERS = new ConcurrentHashMap<>();

  private static final class Holder {
    final ReentrantLock lock = new ReentrantLock();
    FileChannel channel;
    FileLock fileLock;
  }

  private final Holder holder;
  private boolean closed;

  private HostLock(Holder holder) {
    this.holder = holder;
  }

  /**
   * Waits up to {@code timeout} for the lock named {@code name} (letters, digits, {@code -}) on
   * {@code host}. Throws {@link MidplaneException} naming the lock when the wait times out.
   */
  public static HostLock acquire(Host host, String name, Duration timeout) {
    if (!name.matches("[a-z0-9-]{1,40}")) {
      throw new IllegalArgumentException("lock names are lower-case letters, digits and '-': " + name);
    }
    String key = host.name() + "|" + host.root().toUri() + "|" + name;
    Holder h = HOLDERS.computeIfAbsent(key, k -> new Holder());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!h.lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new MidplaneException("timed out after " + timeout.toMillis() + " ms waiting for the " + name
            + " lock of " + host.name() + " (held in this JVM)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MidplaneException("interrupted while waiting for the " + name + " lock of " + host.name(), e);
    }
    if (h.lock.getHoldCount() == 1) {
      try {
        lockFile(h, host, name, deadline);
      } catch (RuntimeException e) {
        h.lock.unlock();
        throw e;
      }
    }
    return new HostLock(h);
  }

  private static void lockFile(Holder h, Host host, String name, long deadline) {
    if (host.root().getFileSystem() != FileSystems.getDefault()) {
      return;
    }
    Path file = host.path("/run/midplane/" + name + ".lock");
    try {
      Files.createDirectories(file.getParent());
      h.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      // Without a writable /run (a read-only capture, a non-root dry run) the in-JVM lock is all
      // there is; say so instead of failing an operation that may not even change anything.
      LOG.warn("cannot open {} ({}); only changes from this JVM are serialised", file, e.toString());
      return;
    }
    try {
      while (true) {
        h.fileLock = h.channel.tryLock();
        if (h.fileLock != null) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new MidplaneException("timed out waiting for " + file + " (held by another process)");
        }
        Thread.sleep(20);
      }
    } catch (IOException e) {
      closeQuietly(h);
      throw new MidplaneException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      closeQuietly(h);
      Thread.currentThread().interrupt();
      throw new MidplaneException("interrupted while waiting for " + file, e);
    } catch (RuntimeException e) {
      closeQuietly(h);
      throw e;
    }
  }

  private static void closeQuietly(Holder h) {
    try {
      if (h.fileLock != null) {
        h.fileLock.release();
      }
      if (h.channel != null) {
        h.channel.close();
      }
    } catch (IOException e) {
      LOG.debug("closing a lock file failed", e);
    } finally {
      h.fileLock = null;
      h.channel = null;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (holder.lock.getHoldCount() == 1) {
      closeQuietly(holder);
    }
    holder.lock.unlock();
  }
}
