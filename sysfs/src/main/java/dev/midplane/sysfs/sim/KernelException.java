package dev.midplane.sysfs.sim;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.files.Errno;
import java.util.Optional;

/**
 * The simulated kernel refused an operation, the way Linux would: with an errno (number, symbolic
 * name and strerror text) and, where the real kernel sends one over netlink, the extended-ack
 * message iproute2 prints after {@code Error: } (e.g. {@code 8021q: VLAN device already exists.}).
 * Simulated tools turn it into the real tool's exit code and stderr.
 */
public class KernelException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final Errno errno;
  private final String extack;

  static KernelException of(Errno errno) {
    return new KernelException(errno, null);
  }

  static KernelException of(Errno errno, String extack) {
    return new KernelException(errno, extack);
  }

  KernelException(Errno errno, String extack) {
    super(errno.name() + " (" + errno.message() + ")" + (extack == null ? "" : ": " + extack));
    this.errno = errno;
    this.extack = extack;
  }

  /** The errno number, e.g. 22. */
  public int errno() {
    return errno.number();
  }

  /** The symbolic name, e.g. {@code EINVAL}. */
  public String errnoName() {
    return errno.name();
  }

  /** The C library's text, e.g. {@code Invalid argument}, as {@code sh: write error: ...} prints it. */
  public String strerror() {
    return errno.message();
  }

  /** The errno as core knows it. */
  public Optional<Errno> coreErrno() {
    return Optional.of(errno);
  }

  /** The netlink extended-ack text, when the real kernel sends one. */
  public Optional<String> extack() {
    return Optional.ofNullable(extack);
  }
}
