package dev.midplane.multipath.dm;

import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Objects;

/**
 * A device-mapper device by name, with its targets when the source printed them.
 *
 * @param name the device-mapper name ({@code vm-test})
 * @param number its device number when the source printed it ({@code dmsetup ls}), else empty
 * @param targets its table when the source printed it ({@code dmsetup table}), else empty
 */
public record DmsetupDevice(String name, java.util.Optional<DevNumber> number, List<DmTarget> targets) {
  public DmsetupDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(number, "number");
    targets = List.copyOf(targets);
  }

  /** The device's size: the sum of its targets' lengths, in bytes. */
  public long sizeBytes() {
    return targets.stream().mapToLong(DmTarget::lengthBytes).sum();
  }
}
