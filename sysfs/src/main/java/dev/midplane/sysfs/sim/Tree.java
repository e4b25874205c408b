package dev.midplane.sysfs.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The simulated kernel's files. Paths are relative to the root ({@code sys/devices/...}). New
 * device directories are filled before the links that make them visible are created, and removed
 * after those links are gone, so a concurrent reader never sees a half-built device; attributes
 * that change are replaced atomically (temporary file and rename). Writable attributes carry a
 * {@link Attr} handler keyed by their canonical path.
 */
final class Tree {
  /** What a write to an attribute does; value without the trailing newline. */
  @FunctionalInterface
  interface Attr {
    void write(String value) throws KernelException;
  }

  private final Path root;
  private final NavigableMap<String, Attr> handlers = new TreeMap<>();
  private long tempCounter;

  Tree(Path root) {
    this.root = root;
  }

  Path root() {
    return root;
  }

  Path path(String rel) {
    return root.resolve(rel);
  }

  void dir(String rel) {
    try {
      Files.createDirectories(path(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes a file of a directory being built (not yet visible through links). */
  void file(String rel, String content) {
    bytes(rel, content.getBytes(StandardCharsets.UTF_8));
  }

  void bytes(String rel, byte[] content) {
    try {
      Files.write(path(rel), content);
    } catch (NoSuchFileException e) {
      dir(parent(rel));
      try {
        Files.write(path(rel), content);
      } catch (IOException e2) {
        throw new UncheckedIOException(e2);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A writable attribute: its content and what writing it does. */
  void attr(String rel, String content, Attr handler) {
    file(rel, content);
    handlers.put("/" + rel, handler);
  }

  /** A write-only attribute ({@code scan}, {@code delete}, {@code rescan}): an empty file. */
  void writeOnly(String rel, Attr handler) {
    attr(rel, "", handler);
  }

  /** Replaces a visible attribute's content atomically, if it changed. */
  void update(String rel, String content) {
    Path p = path(rel);
    byte[] b = content.getBytes(StandardCharsets.UTF_8);
    try {
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(p), b)) {
        return;
      }
      Path tmp = p.resolveSibling("." + p.getFileName() + ".sim-" + (++tempCounter));
      Files.write(tmp, b);
      Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      file(rel, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A relative symbolic link at {@code rel} to {@code targetRel}, as sysfs lays them out; replaces one that exists. */
  void link(String rel, String targetRel) {
    Path link = path(rel);
    String target = relative(parent(rel), targetRel);
    try {
      try {
        Files.createSymbolicLink(link, Path.of(target));
      } catch (FileAlreadyExistsException e) {
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of(target));
      } catch (NoSuchFileException e) {
        dir(parent(rel));
        Files.createSymbolicLink(link, Path.of(target));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes a file or link, if present. */
  void unlink(String rel) {
    try {
      Files.deleteIfExists(path(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    handlers.remove("/" + rel);
  }

  /** Removes a directory and everything in it (links are removed, not followed), with its handlers. */
  void removeTree(String rel) {
    Path p = path(rel);
    handlers.subMap("/" + rel + "/", true, "/" + rel + "/\uffff", true).clear();
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(p, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          try {
            Files.delete(dir);
          } catch (DirectoryNotEmptyException e) {
            // a concurrent writer added something; try once more
            try (var s = Files.list(dir)) {
              for (Path q : (Iterable<Path>) s::iterator) {
                Files.deleteIfExists(q);
              }
            }
            Files.delete(dir);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The handler of the attribute at a canonical host path ({@code /sys/devices/...}). */
  Attr handler(String canonicalHostPath) {
    return handlers.get(canonicalHostPath);
  }

  Map<String, Attr> handlersUnder(String prefix) {
    return handlers.subMap(prefix, true, prefix + "\uffff", true);
  }

  static String parent(String rel) {
    int i = rel.lastIndexOf('/');
    return i < 0 ? "" : rel.substring(0, i);
  }

  /**
   * The relative path from directory {@code fromDir} to {@code to} (both relative to the root), as
   * kernfs computes it: up to the common ancestor of {@code fromDir} and {@code to}'s parent, then
   * down, so a link to an ancestor still ends in its name ({@code device -> ../../../1:0:0:0}).
   */
  static String relative(String fromDir, String to) {
    String[] a = fromDir.isEmpty() ? new String[0] : fromDir.split("/");
    String[] b = to.split("/");
    int common = 0;
    while (common < a.length && common < b.length - 1 && a[common].equals(b[common])) {
      common++;
    }
    StringBuilder s = new StringBuilder();
    for (int i = common; i < a.length; i++) {
      s.append("../");
    }
    for (int i = common; i < b.length; i++) {
      s.append(b[i]);
      if (i < b.length - 1) {
        s.append('/');
      }
    }
    return s.length() == 0 ? "." : s.toString();
  }
}
