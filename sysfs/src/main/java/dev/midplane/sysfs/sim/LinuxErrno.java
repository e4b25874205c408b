package dev.midplane.sysfs.sim;

import dev.midplane.core.files.Errno;
import java.util.Optional;

/** The errno values the simulated kernel answers with (a superset of core's {@link Errno}). */
enum LinuxErrno {
  EPERM(1, "Operation not permitted"),
  ENOENT(2, "No such file or directory"),
  EIO(5, "Input/output error"),
  ENXIO(6, "No such device or address"),
  EACCES(13, "Permission denied"),
  EBUSY(16, "Device or resource busy"),
  EEXIST(17, "File exists"),
  ENODEV(19, "No such device"),
  EISDIR(21, "Is a directory"),
  EINVAL(22, "Invalid argument"),
  ENOSPC(28, "No space left on device"),
  ERANGE(34, "Numerical result out of range"),
  ENOTEMPTY(39, "Directory not empty"),
  ELOOP(40, "Too many levels of symbolic links"),
  EOPNOTSUPP(95, "Operation not supported"),
  ENETDOWN(100, "Network is down");

  private final int number;
  private final String message;

  LinuxErrno(int number, String message) {
    this.number = number;
    this.message = message;
  }

  int number() {
    return number;
  }

  String message() {
    return message;
  }

  Optional<Errno> core() {
    for (Errno e : Errno.values()) {
      if (e.number() == number) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  KernelException error() {
    return new KernelException(this, null);
  }

  KernelException error(String extack) {
    return new KernelException(this, extack);
  }
}
