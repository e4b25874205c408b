package dev.midplane.core.files;

import java.util.Locale;
import java.util.Optional;

/**
 * The errno values kernels answer attribute writes with, and their strerror texts, so that a
 * refused write reads the same whether it came from a real kernel, a remote one or the simulated
 * one.
 */
public enum Errno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EIO(5, "Input/output error"),
  ENXIO(6, "No such device or address"),
  EACCES(13, "Permission denied"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  ENOTDIR(20, "Not a directory"),
  EISDIR(21, "Is a directory"),
  EINVAL(22, "Invalid argument"),
  ENOSPC(28, "No space left on device"),
  EROFS(30, "Read-only file system"),
  ERANGE(34, "Numerical result out of range"),
  ENOTEMPTY(39, "Directory not empty"),
  ELOOP(40, "Too many levels of symbolic links"),
  EOPNOTSUPP(95, "Operation not supported"),
  EADDRINUSE(98, "Address already in use"),
  ENETDOWN(100, "Network is down");

  private final int number;
  private final String message;

  Errno(int number, String message) {
    this.number = number;
    this.message = message;
  }

  public int number() {
    return number;
  }

  /** The C library's strerror text. */
  public String message() {
    return message;
  }

  /** Finds the errno whose strerror text appears in {@code text} (an IOException message, stderr). */
  public static Optional<Errno> fromMessage(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String lower = text.toLowerCase(Locale.ROOT);
    for (Errno e : values()) {
      if (lower.contains(e.message.toLowerCase(Locale.ROOT))) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return name() + " (" + message + ")";
  }
}
