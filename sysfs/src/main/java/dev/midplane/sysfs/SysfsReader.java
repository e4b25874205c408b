package dev.midplane.sysfs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads kernel files with as few system calls as the kernel allows — one open, one read, one
 * close per attribute (sysfs hands over a whole attribute in the first read) — and counts what it
 * does, so tests and benchmarks can prove that discovery stays linear and never reads a file twice.
 * Not thread-safe: one reader per thread ({@link #sibling()}); siblings share the record of what was
 * read.
 */
final class SysfsReader {
  /** Test hook: runs before every file-system access (a test deletes a device here). */
  interface Hook {
    void before(Path path) throws IOException;
  }

  static final Hook NO_HOOK = p -> {};

  private final Hook hook;
  private final Set<String> seen;
  private ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
  private long fileReads;
  private long linkReads;
  private long listings;
  private long absent;
  private long bytes;
  private long duplicates;

  SysfsReader(boolean trackDuplicates, Hook hook) {
    this.hook = hook;
    this.seen = trackDuplicates ? ConcurrentHashMap.newKeySet() : null;
  }

  private SysfsReader(Set<String> seen, Hook hook) {
    this.hook = hook;
    this.seen = seen;
  }

  /** A reader for another thread of the same discovery: same hook, same record of what was read. */
  SysfsReader sibling() {
    return new SysfsReader(seen, hook);
  }

  /** Adds what {@code other} did to this reader's counts. */
  void add(SysfsReader other) {
    fileReads += other.fileReads;
    linkReads += other.linkReads;
    listings += other.listings;
    absent += other.absent;
    bytes += other.bytes;
    duplicates += other.duplicates;
  }

  /**
   * The file's text.
   *
   * @throws NoSuchFileException when it does not exist (counted as absent)
   * @throws IOException when the kernel refuses the read (e.g. {@code carrier} of a down device)
   */
  String read(Path file) throws IOException {
    int n = readRaw(file);
    return new String(buffer.array(), 0, n, StandardCharsets.UTF_8);
  }

  /** The file's text, or empty when it does not exist. */
  Optional<String> readIfPresent(Path file) throws IOException {
    try {
      return Optional.of(read(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The raw bytes of a binary attribute such as {@code inquiry}. */
  byte[] readBytes(Path file) throws IOException {
    int n = readRaw(file);
    byte[] out = new byte[n];
    System.arraycopy(buffer.array(), 0, out, 0, n);
    return out;
  }

  private int readRaw(Path file) throws IOException {
    hook.before(file);
    track("F", file);
    SeekableByteChannel ch;
    try {
      ch = Files.newByteChannel(file);
    } catch (NoSuchFileException e) {
      absent++;
      throw e;
    }
    fileReads++;
    try (ch) {
      buffer.clear();
      boolean local = file.getFileSystem() == FileSystems.getDefault();
      while (true) {
        int n = ch.read(buffer);
        if (n < 0) {
          break;
        }
        if (buffer.hasRemaining()) {
          // A short read of a local file is its end: sysfs returns an attribute in one read and a
          // regular file is read to its end. Remote channels may return less, so they read on.
          if (local) {
            break;
          }
        } else {
          ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
          buffer.flip();
          bigger.put(buffer);
          buffer = bigger;
        }
      }
      bytes += buffer.position();
      return buffer.position();
    }
  }

  /** The target of a symbolic link, as stored (usually relative). */
  String readLink(Path link) throws IOException {
    hook.before(link);
    track("L", link);
    try {
      String target = Files.readSymbolicLink(link).toString();
      linkReads++;
      return target;
    } catch (NoSuchFileException e) {
      absent++;
      throw e;
    }
  }

  /** The names in a directory, unsorted. */
  List<String> list(Path dir) throws IOException {
    hook.before(dir);
    track("D", dir);
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      listings++;
      for (Path p : s) {
        names.add(p.getFileName().toString());
      }
    } catch (NoSuchFileException e) {
      absent++;
      throw e;
    }
    return names;
  }

  /** The names in a directory, or empty when it does not exist. */
  List<String> listIfPresent(Path dir) throws IOException {
    try {
      return list(dir);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  private void track(String kind, Path p) {
    if (seen != null && !seen.add(kind + p)) {
      duplicates++;
    }
  }

  DiscoveryStats stats() {
    return new DiscoveryStats(fileReads, linkReads, listings, absent, bytes, duplicates);
  }
}
