package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import org.immutables.value.Value;

/** A whole block device (no partitions) as {@code /sys/dev/block} lists it: what {@code lsblk} shows at the top. */
@Value.Immutable
@MidplaneStyle
public abstract class BlockDevice {
  public abstract BlockDeviceName name();

  public abstract DevNumber dev();

  /** {@code size} × 512. */
  public abstract long sizeBytes();

  public abstract BlockDeviceKind kind();

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableBlockDevice.Builder {}
}
