package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A device-mapper device ({@code /sys/block/dm-N}): its table's name ({@code dm/name}, the name in
 * {@code /dev/mapper}), uuid ({@code mpath-<wwid>} for multipath maps, {@code part1-mpath-…} for
 * kpartx partitions, {@code LVM-…} for logical volumes), whether it is suspended, and the devices
 * it is built on ({@code slaves/}).
 */
@Value.Immutable
@MidplaneStyle
public abstract class DmDevice {
  /** {@code dm-N}. */
  public abstract BlockDeviceName device();

  public abstract DevNumber dev();

  /** {@code dm/name}. */
  public abstract String name();

  /** {@code dm/uuid}; empty when the device has none. */
  public abstract Optional<String> uuid();

  /** {@code dm/suspended}. */
  public abstract boolean suspended();

  public abstract long sizeBytes();

  /** {@code ro}. */
  public abstract boolean readOnly();

  /** {@code slaves/}, sorted. */
  public abstract List<BlockDeviceName> slaves();

  /** True for multipath maps ({@code dm/uuid} starts with {@code mpath-}). */
  public boolean isMultipath() {
    return uuid().map(u -> u.startsWith("mpath-")).orElse(false);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableDmDevice.Builder {}
}
