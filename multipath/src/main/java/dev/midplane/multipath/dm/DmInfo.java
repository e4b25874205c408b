package dev.midplane.multipath.dm;

import dev.midplane.sysfs.DevNumber;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code dmsetup info} (or {@code info -c}) says about a device.
 *
 * @param name device-mapper name
 * @param number device number
 * @param live a live table is loaded
 * @param inactive an inactive table is loaded (a reload waiting for resume)
 * @param suspended I/O is suspended
 * @param readOnly the device is read-only
 * @param openCount how many openers hold the device (a mounted file system, a running VM)
 * @param targets number of targets in the live table
 * @param events event counter
 * @param uuid device-mapper UUID ({@code mpath-<wwid>} for multipath maps), if set
 */
public record DmInfo(String name, DevNumber number, boolean live, boolean inactive, boolean suspended,
    boolean readOnly, int openCount, int targets, long events, Optional<String> uuid) {
  public DmInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(number, "number");
    Objects.requireNonNull(uuid, "uuid");
  }

  /** True when someone holds the device open. */
  public boolean isOpen() {
    return openCount > 0;
  }

  /** True when the UUID marks a map made by multipath-tools. */
  public boolean isMultipath() {
    return uuid.map(u -> u.startsWith("mpath-")).orElse(false);
  }
}
