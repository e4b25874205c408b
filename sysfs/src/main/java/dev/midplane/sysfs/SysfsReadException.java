package dev.midplane.sysfs;

import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;

/** A kernel file could not be read (other than because it does not exist): which host, which file, why. */
public class SysfsReadException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final String path;

  public SysfsReadException(Host host, String path, Exception cause) {
    super("reading " + path + " on " + host.name() + " failed: " + cause.getMessage(), cause);
    this.path = path;
  }

  /** The file as the host names it. */
  public String path() {
    return path;
  }
}
