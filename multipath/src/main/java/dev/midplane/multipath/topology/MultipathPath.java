package dev.midplane.multipath.topology;

import dev.midplane.core.names.Hctl;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A path of a map as multipath-tools report it. Which fields are present depends on the source:
 * {@code multipath -ll} gives the SCSI address, device, device number and the three states;
 * {@code multipathd show maps json} gives the device, states, checker, priority and FC names but
 * no SCSI address. A path whose device vanished prints as {@code #:#:#:# -}: then
 * {@link #hctl()} and {@link #device()} are empty.
 */
@Value.Immutable
public abstract class MultipathPath {
  /** The SCSI address, empty for a vanished path ({@code #:#:#:#}) or when the source lacks it. */
  public abstract Optional<Hctl> hctl();

  /** The block device ({@code sdb}), empty for a vanished path ({@code -}). */
  public abstract Optional<BlockDeviceName> device();

  /** {@code major:minor}, empty when not known ({@code #:#}). */
  public abstract Optional<DevNumber> deviceNumber();

  /** Whether device-mapper uses the path. */
  public abstract PathState dmState();

  /** What the checker last found. */
  public abstract CheckerState checkerState();

  /** The SCSI device state; absent in the 0.4.x layout. */
  public abstract Optional<DeviceState> deviceState();

  /** The path's priority (JSON and format-string sources). */
  public abstract OptionalInt priority();

  /** The checker's name ({@code tur}), from JSON. */
  public abstract Optional<String> checker();

  /** FC names from JSON; empty when multipath reports {@code [undef]}. */
  public abstract Optional<String> hostWwpn();

  public abstract Optional<String> targetWwpn();

  public abstract Optional<String> hostWwnn();

  public abstract Optional<String> targetWwnn();

  /** True when device-mapper uses the path and its checker says it can carry I/O. */
  public boolean isUp() {
    return dmState() == PathState.ACTIVE && checkerState().usable();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MultipathPath}. */
  public static final class Builder extends ImmutableMultipathPath.Builder {}
}
