package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * One path to a LUN: a SCSI disk ({@code sdX}) at a SCSI address, as the kernel shows it at the
 * moment of discovery. Strings are trimmed ({@code vendor} is space-padded to 8 characters in
 * sysfs, {@code model} to 16, {@code rev} to 4); they come from udev's record of the LUN's INQUIRY
 * data when udev has one (as {@code lsblk} takes them), from sysfs otherwise — the same bytes.
 *
 * <p>{@link #wwid()} is the identifier multipath-tools groups paths by; {@link #wwidSource()} says
 * whether it came from udev's database (preferred, it is what multipath reads) or from the sysfs
 * {@code wwid} attribute.
 */
@Value.Immutable
@MidplaneStyle
public abstract class ScsiPath {
  /** The disk's kernel name, {@code sdX}. */
  public abstract BlockDeviceName device();

  public abstract DevNumber dev();

  public abstract Hctl hctl();

  /** The size the kernel last read from the LUN ({@code size} × 512), in bytes. */
  public abstract long sizeBytes();

  public abstract String vendor();

  public abstract String model();

  public abstract String revision();

  /**
   * The SCSI device state as printed: {@code running}, {@code offline}, {@code blocked},
   * {@code transport-offline}, {@code created}, {@code quiesce}, {@code cancel}, {@code deleted}.
   */
  public abstract String state();

  /** {@code device_blocked}: non-zero while the device refuses commands after a busy condition. */
  public abstract int deviceBlocked();

  /** ALUA {@code access_state} ({@code active/optimized}, …) when the array reports ALUA. */
  public abstract Optional<String> accessState();

  /** The identifier multipath groups this path by; empty when the LUN reports none. */
  public abstract Optional<Wwid> wwid();

  /** Where {@link #wwid()} came from; present exactly when it is. */
  public abstract Optional<WwidSource> wwidSource();

  /** The FC remote port ({@code rport-H:B-R}) the path runs through, for FC paths. */
  public abstract Optional<String> remotePort();

  /** The device-mapper devices built on this path (from their {@code slaves/}). */
  public abstract List<BlockDeviceName> holders();

  /** True when the state is {@code running}: I/O can be sent. */
  public boolean isRunning() {
    return state().equals("running");
  }

  @Value.Check
  protected void check() {
    if (wwid().isPresent() != wwidSource().isPresent()) {
      throw new IllegalStateException("wwid and wwidSource go together");
    }
    if (sizeBytes() < 0) {
      throw new IllegalStateException("negative size");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableScsiPath.Builder {}
}
