package dev.midplane.core.files;

import dev.midplane.core.MidplaneException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes config files so that a crash at any moment leaves either the old or the new file, never a
 * partial one: the content goes to a hidden temporary file in the same directory, is fsynced, the
 * current file is copied to a backup (also via a temporary file and a rename), the temporary file is
 * renamed over the target, and the directory is fsynced. An existing file's POSIX permissions are
 * kept.
 *
 * <p>Backups sit next to the file as {@code <name>.bak} by default — initscripts and
 * NetworkManager skip {@code .bak} files — or in a separate directory for config directories that
 * read every file they contain (such as {@code /etc/xen/auto}).
 */
public final class AtomicFiles {
  /** Where the previous version goes. */
  public sealed interface Backup {
    /** {@code <name>.bak} in the same directory. */
    record Sibling() implements Backup {}

    /** {@code <dir>/<name>.bak}. */
    record InDirectory(Path directory) implements Backup {}

    /** No backup. */
    record None() implements Backup {}
  }

  public static final Backup SIBLING = new Backup.Sibling();
  public static final Backup NO_BACKUP = new Backup.None();

  /** Named points of a write, for fault injection in tests. */
  enum Stage {
    TEMP_CREATED,
    TEMP_WRITTEN,
    TEMP_SYNCED,
    BACKUP_WRITTEN,
    RENAMED,
    DIRECTORY_SYNCED
  }

  /** Test hook: called at each stage; may throw to simulate a crash there. */
  interface Hook {
    void at(Stage stage) throws IOException;
  }

  private static final Set<PosixFilePermission> DEFAULT_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");

  private AtomicFiles() {}

  /** Writes {@code content} as UTF-8, keeping the previous version as {@code <name>.bak}. */
  public static void write(Path target, String content) {
    write(target, content.getBytes(StandardCharsets.UTF_8), SIBLING);
  }

  public static void write(Path target, String content, Backup backup) {
    write(target, content.getBytes(StandardCharsets.UTF_8), backup);
  }

  public static void write(Path target, byte[] content, Backup backup) {
    write(target, content, backup, null, stage -> {});
  }

  /**
   * Writes with the given POSIX mode whether the file is new or replaces one (for secrets such as
   * NetworkManager keyfiles, 0600): the temporary file is created with that mode, so the content
   * never exists with a wider one. On file systems without POSIX modes the mode is ignored.
   */
  public static void write(Path target, byte[] content, Backup backup, Set<PosixFilePermission> mode) {
    write(target, content, backup, java.util.Objects.requireNonNull(mode, "mode"), stage -> {});
  }

  /** Where {@link #write} keeps the previous version of {@code target} under {@code backup}. */
  public static Optional<Path> backupPath(Path target, Backup backup) {
    String name = target.getFileName().toString() + ".bak";
    if (backup instanceof Backup.InDirectory d) {
      return Optional.of(d.directory().resolve(name));
    }
    if (backup instanceof Backup.Sibling) {
      return Optional.of(target.resolveSibling(name));
    }
    return Optional.empty();
  }

  static void write(Path target, byte[] content, Backup backup, Hook hook) {
    write(target, content, backup, null, hook);
  }

  static void write(Path target, byte[] content, Backup backup, Set<PosixFilePermission> mode, Hook hook) {
    Path dir = target.toAbsolutePath().getParent();
    String name = target.getFileName().toString();
    Path temp = dir.resolve("." + name + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.createDirectories(dir);
      removeStaleTemps(dir, name);
      Set<PosixFilePermission> perms = mode != null ? mode : existingPermissions(target).orElse(DEFAULT_PERMISSIONS);
      try (FileChannel ch = openTemp(temp, mode)) {
        hook.at(Stage.TEMP_CREATED);
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        hook.at(Stage.TEMP_WRITTEN);
        ch.force(true);
        hook.at(Stage.TEMP_SYNCED);
      }
      setPermissions(temp, perms);
      Optional<Path> backupFile = backupPath(target, backup);
      if (backupFile.isPresent() && Files.exists(target)) {
        copyAtomically(target, backupFile.get());
      }
      hook.at(Stage.BACKUP_WRITTEN);
      move(temp, target);
      hook.at(Stage.RENAMED);
      syncDirectory(dir);
      hook.at(Stage.DIRECTORY_SYNCED);
    } catch (IOException e) {
      throw new MidplaneException("writing " + target + " failed; the previous content is intact: " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a leftover hidden temp is removed by the next write
      }
    }
  }

  private static FileChannel openTemp(Path temp, Set<PosixFilePermission> mode) throws IOException {
    if (mode != null && temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(mode));
    }
    return FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private static void copyAtomically(Path from, Path to) throws IOException {
    Path dir = to.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + to.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    try {
      Files.copy(from, temp, StandardCopyOption.COPY_ATTRIBUTES);
      try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      move(temp, to);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // Some remote file systems (SFTP v3) cannot replace atomically; there the rename is the
      // best the server offers.
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void removeStaleTemps(Path dir, String name) throws IOException {
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "." + name + ".tmp-*")) {
      for (Path p : s) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static Optional<Set<PosixFilePermission>> existingPermissions(Path target) throws IOException {
    if (!Files.exists(target)) {
      return Optional.empty();
    }
    PosixFileAttributeView v = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    return v == null ? Optional.empty() : Optional.of(v.readAttributes().permissions());
  }

  private static void setPermissions(Path p, Set<PosixFilePermission> perms) throws IOException {
    PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class);
    if (v != null) {
      v.setPermissions(perms);
    }
  }

  private static void syncDirectory(Path dir) {
    if (dir.getFileSystem() != java.nio.file.FileSystems.getDefault()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be opened for fsync; the rename is still atomic.
    }
  }
}
