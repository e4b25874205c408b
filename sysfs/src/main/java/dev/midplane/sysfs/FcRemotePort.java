package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A remote FC port seen by an HBA ({@code /sys/class/fc_remote_ports/rport-H:B-R}): for a storage
 * array, one of its target ports. {@code port_state} is {@code Online}, {@code Blocked} (the path
 * is gone and the kernel is waiting {@code dev_loss_tmo} for it to return) or {@code Not Present}
 * (it did not return in time; its LUNs were removed).
 */
@Value.Immutable
@MidplaneStyle
public abstract class FcRemotePort {
  /** {@code rport-H:B-R}. */
  public abstract String name();

  /** H: the SCSI host (HBA port) that sees it. */
  public abstract int hostNumber();

  public abstract Wwn portName();

  public abstract Wwn nodeName();

  /** {@code port_id}, as printed ({@code 0x010200}). */
  public abstract String portId();

  /** {@code roles}, as printed ({@code FCP Target}). */
  public abstract String roles();

  /** {@code port_state}, as printed. */
  public abstract String portState();

  /** {@code scsi_target_id}; empty when the port is no SCSI target ({@code -1}). */
  public abstract OptionalInt scsiTargetId();

  /** {@code dev_loss_tmo} in seconds. */
  public abstract int devLossTmo();

  /** {@code fast_io_fail_tmo} in seconds; empty for {@code off}. */
  public abstract OptionalInt fastIoFailTmo();

  public boolean isOnline() {
    return portState().equals("Online");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableFcRemotePort.Builder {}
}
