package dev.midplane.sysfs;

import java.util.Objects;

/**
 * Something discovery could not read and left out: which object, the file that failed, and why
 * (typically a device deleted while discovery ran). The rest of the topology is complete.
 */
public record Skipped(String object, String path, String reason) {
  public Skipped {
    Objects.requireNonNull(object, "object");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(reason, "reason");
  }
}
