package dev.midplane.core.files;

import dev.midplane.core.MidplaneException;
import java.util.Optional;

/**
 * The kernel refused a write to a sysfs or procfs attribute: which file, which value, which errno.
 * For example writing {@code eth5} to {@code /sys/class/net/bond0/bonding/active_slave} when eth5
 * is not a slave answers {@link Errno#EINVAL}.
 */
public class AttributeWriteException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String path;
  private final String value;
  private final Errno errno;

  public AttributeWriteException(String host, String path, String value, Errno errno, String detail, Throwable cause) {
    super("writing '" + value.strip() + "' to " + path + (host == null ? "" : " on " + host) + " failed: "
        + (errno == null ? "" : errno.name() + " (" + errno.message() + ")")
        + (detail == null || detail.isEmpty() ? "" : (errno == null ? "" : "; ") + detail), cause);
    this.path = path;
    this.value = value;
    this.errno = errno;
  }

  /** The attribute as the host names it, e.g. {@code /sys/class/net/bond0/bonding/mode}. */
  public String path() {
    return path;
  }

  public String value() {
    return value;
  }

  /** Empty when the failure carried no recognisable errno. */
  public Optional<Errno> errno() {
    return Optional.ofNullable(errno);
  }
}
