package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * A SCSI host adapter ({@code /sys/class/scsi_host/hostN}): its number, the driver that runs it
 * ({@code proc_name}: {@code qla2xxx}, {@code lpfc}, {@code ahci}, {@code scsi_debug}) and, for a
 * Fibre Channel HBA port, its {@code fc_host} attributes.
 */
@Value.Immutable
@MidplaneStyle
public abstract class ScsiHost {
  /** N in {@code hostN}. */
  public abstract int number();

  /** The driver's name, from {@code proc_name}. */
  public abstract String procName();

  /** Present for Fibre Channel HBA ports. */
  public abstract Optional<FcHost> fc();

  /** {@code hostN}. */
  public String name() {
    return "host" + number();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableScsiHost.Builder {}
}
