package dev.midplane.ssh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.OpenOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Set;

/**
 * A remote file as a {@link FileChannel} that moves whole files: the content is fetched in one
 * transfer when first needed, edited in memory, and sent back in one transfer by
 * {@link #force(boolean)} (then fsynced) or on close. The right model for what the SDK touches —
 * sysfs and procfs attributes, which must be read in one go, and small config files, which are
 * written whole and renamed into place — and bounded by the host's file size limit. Opening
 * fails the way {@code open(2)} would ({@code CREATE_NEW} on an existing file, no {@code CREATE}
 * on a missing one) before any data moves. Not for large files or for files that several
 * writers append to at once.
 */
final class WholeFileChannel extends FileChannel {
  private final FileBackend backend;
  private final String path;
  private final boolean readable;
  private final boolean writable;
  private final boolean append;
  private final boolean syncOnClose;
  private final boolean deleteOnClose;
  private final int maxBytes;
  private byte[] data;
  private int size;
  private boolean loaded;
  private boolean dirty;
  private long position;

  private WholeFileChannel(FileBackend backend, String path, Set<? extends OpenOption> options, int maxBytes,
      byte[] initial) {
    this.backend = backend;
    this.path = path;
    this.writable = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    this.readable = options.contains(StandardOpenOption.READ) || !writable;
    this.append = options.contains(StandardOpenOption.APPEND);
    this.syncOnClose = options.contains(StandardOpenOption.SYNC) || options.contains(StandardOpenOption.DSYNC);
    this.deleteOnClose = options.contains(StandardOpenOption.DELETE_ON_CLOSE);
    this.maxBytes = maxBytes;
    if (initial != null) {
      this.data = initial;
      this.size = initial.length;
      this.loaded = true;
    }
  }

  /**
   * Opens {@code path} with NIO {@code options}. {@code permissions} (may be {@code null}) are given
   * to a file this call creates.
   */
  static WholeFileChannel open(FileBackend backend, String path, Set<? extends OpenOption> options,
      Set<PosixFilePermission> permissions, int maxBytes) throws IOException {
    boolean write = options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    if (options.contains(StandardOpenOption.APPEND)
        && (options.contains(StandardOpenOption.READ) || options.contains(StandardOpenOption.TRUNCATE_EXISTING))) {
      throw new IllegalArgumentException("APPEND cannot be combined with READ or TRUNCATE_EXISTING");
    }
    if (!write) {
      return new WholeFileChannel(backend, path, options, maxBytes, backend.read(path, maxBytes));
    }
    boolean truncate = options.contains(StandardOpenOption.TRUNCATE_EXISTING);
    byte[] initial = null;
    boolean created = false;
    if (options.contains(StandardOpenOption.CREATE_NEW)) {
      backend.write(path, new byte[0], FileBackend.WriteMode.CREATE_NEW, false);
      initial = new byte[0];
      created = true;
    } else if (options.contains(StandardOpenOption.CREATE)) {
      RemoteAttributes a = statOrNull(backend, path);
      if (a == null || truncate) {
        backend.write(path, new byte[0], FileBackend.WriteMode.CREATE_OR_TRUNCATE, false);
        initial = new byte[0];
        created = a == null;
      } else if (a.isDirectory()) {
        throw new FileSystemException(path, null, "Is a directory");
      }
    } else {
      RemoteAttributes a = backend.stat(path, true);
      if (a.isDirectory()) {
        throw new FileSystemException(path, null, "Is a directory");
      }
      if (truncate) {
        backend.write(path, new byte[0], FileBackend.WriteMode.EXISTING, false);
        initial = new byte[0];
      }
    }
    if (created && permissions != null) {
      backend.setPermissions(path, permissions);
    }
    WholeFileChannel ch = new WholeFileChannel(backend, path, options, maxBytes, initial);
    if (ch.append) {
      ch.load();
      ch.position = ch.size;
    }
    return ch;
  }

  private static RemoteAttributes statOrNull(FileBackend backend, String path) throws IOException {
    try {
      return backend.stat(path, true);
    } catch (java.nio.file.NoSuchFileException e) {
      return null;
    }
  }

  private void load() throws IOException {
    if (!loaded) {
      data = backend.read(path, maxBytes);
      size = data.length;
      loaded = true;
    }
  }

  private void ensureOpen() throws IOException {
    if (!isOpen()) {
      throw new java.nio.channels.ClosedChannelException();
    }
  }

  @Override
  public synchronized int read(ByteBuffer dst) throws IOException {
    int n = read(dst, position);
    if (n > 0) {
      position += n;
    }
    return n;
  }

  @Override
  public synchronized long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      int n = read(dsts[i]);
      if (n < 0) {
        return total == 0 ? -1 : total;
      }
      total += n;
      if (dsts[i].hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public synchronized int read(ByteBuffer dst, long at) throws IOException {
    ensureOpen();
    if (!readable) {
      throw new NonReadableChannelException();
    }
    if (at < 0) {
      throw new IllegalArgumentException("negative position");
    }
    load();
    if (at >= size) {
      return -1;
    }
    int n = (int) Math.min(dst.remaining(), size - at);
    dst.put(data, (int) at, n);
    return n;
  }

  @Override
  public synchronized int write(ByteBuffer src) throws IOException {
    if (append) {
      load();
      position = size;
    }
    int n = write(src, position);
    position += n;
    return n;
  }

  @Override
  public synchronized long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      total += write(srcs[i]);
    }
    return total;
  }

  @Override
  public synchronized int write(ByteBuffer src, long at) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (at < 0) {
      throw new IllegalArgumentException("negative position");
    }
    load();
    int n = src.remaining();
    long end = at + n;
    if (end > maxBytes) {
      throw new FileSystemException(path, null, "file would exceed the " + maxBytes + "-byte bound");
    }
    if (end > data.length) {
      data = Arrays.copyOf(data, (int) Math.max(end, Math.min((long) maxBytes, data.length * 2L + 64)));
    }
    if (at > size) {
      Arrays.fill(data, size, (int) at, (byte) 0);
    }
    src.get(data, (int) at, n);
    size = (int) Math.max(size, end);
    dirty = true;
    return n;
  }

  @Override
  public synchronized long position() throws IOException {
    ensureOpen();
    return position;
  }

  @Override
  public synchronized FileChannel position(long newPosition) throws IOException {
    ensureOpen();
    if (newPosition < 0) {
      throw new IllegalArgumentException("negative position");
    }
    position = newPosition;
    return this;
  }

  @Override
  public synchronized long size() throws IOException {
    ensureOpen();
    load();
    return size;
  }

  @Override
  public synchronized FileChannel truncate(long newSize) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    if (newSize < 0) {
      throw new IllegalArgumentException("negative size");
    }
    load();
    if (newSize < size) {
      size = (int) newSize;
      dirty = true;
    }
    position = Math.min(position, newSize);
    return this;
  }

  /** Sends the content when it changed, then fsyncs the remote file. */
  @Override
  public synchronized void force(boolean metaData) throws IOException {
    ensureOpen();
    if (dirty) {
      backend.write(path, Arrays.copyOf(data, size), FileBackend.WriteMode.EXISTING, true);
      dirty = false;
    } else if (writable) {
      backend.sync(path);
    }
  }

  @Override
  public synchronized long transferTo(long at, long count, WritableByteChannel target) throws IOException {
    ensureOpen();
    if (!readable) {
      throw new NonReadableChannelException();
    }
    load();
    if (at >= size) {
      return 0;
    }
    int n = (int) Math.min(count, size - at);
    return target.write(ByteBuffer.wrap(data, (int) at, n));
  }

  @Override
  public synchronized long transferFrom(ReadableByteChannel src, long at, long count) throws IOException {
    ensureOpen();
    if (!writable) {
      throw new NonWritableChannelException();
    }
    load();
    if (at > size) {
      return 0;
    }
    ByteBuffer buf = ByteBuffer.allocate((int) Math.min(count, maxBytes));
    int n;
    do {
      n = src.read(buf);
    } while (n > 0 && buf.hasRemaining());
    buf.flip();
    return write(buf, at);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long at, long length) {
    throw new UnsupportedOperationException("remote files cannot be memory-mapped");
  }

  @Override
  public FileLock lock(long at, long length, boolean shared) {
    throw new UnsupportedOperationException("remote files cannot be locked");
  }

  @Override
  public FileLock tryLock(long at, long length, boolean shared) {
    throw new UnsupportedOperationException("remote files cannot be locked");
  }

  @Override
  protected synchronized void implCloseChannel() throws IOException {
    try {
      if (dirty) {
        backend.write(path, Arrays.copyOf(data, size), FileBackend.WriteMode.EXISTING, syncOnClose);
        dirty = false;
      }
    } finally {
      if (deleteOnClose) {
        backend.delete(path);
      }
    }
  }

  @Override
  public String toString() {
    return "whole-file channel on " + path + " (" + backend.kind() + ")";
  }
}
