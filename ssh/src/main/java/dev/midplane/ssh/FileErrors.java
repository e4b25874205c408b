package dev.midplane.ssh;

import dev.midplane.core.files.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;

/** Turns a remote tool's error text into the NIO exception a local file system would throw. */
final class FileErrors {
  private FileErrors() {}

  /**
   * The exception for {@code text} (a tool's stderr, an SFTP status message) about {@code path}
   * (and {@code other}, the second file of a move or copy, or {@code null}).
   */
  static FileSystemException fromText(String path, String other, String text) {
    String t = text.strip();
    if (t.contains("Directory not empty")) {
      return new DirectoryNotEmptyException(path);
    }
    Optional<Errno> errno = Errno.fromMessage(t);
    if (errno.isEmpty()) {
      return new FileSystemException(path, other, t);
    }
    return switch (errno.get()) {
      case ENOENT -> new NoSuchFileException(path, other, t);
      case EEXIST -> new FileAlreadyExistsException(path, other, t);
      case ENOTDIR -> new NotDirectoryException(path);
      case EACCES, EPERM -> new AccessDeniedException(path, other, t);
      default -> new FileSystemException(path, other, t);
    };
  }

  /** A transport failure (no session, timeout) while working on {@code path}. */
  static IOException transport(String path, RuntimeException cause) {
    FileSystemException e = new FileSystemException(path, null, "remote file operation failed: " + cause.getMessage());
    e.initCause(cause);
    return e;
  }
}
