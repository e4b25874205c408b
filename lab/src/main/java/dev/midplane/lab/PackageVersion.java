package dev.midplane.lab;

import java.util.Objects;

/**
 * One package that went into a lab image: downloaded for the guest (the kernel, busybox, dropbear)
 * or copied from this machine's installed packages.
 */
public record PackageVersion(Origin origin, String name, String version) {
  /** Where the package's files came from. */
  public enum Origin {
    /** Downloaded with {@code apt-get download} and unpacked for the guest only. */
    GUEST,
    /** Installed on the machine that built the image; its programs were copied. */
    HOST
  }

  public PackageVersion {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
  }

  @Override
  public String toString() {
    return name + " " + version + " (" + origin.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }
}
