package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import org.immutables.value.Value;

/**
 * A Fibre Channel HBA port ({@code /sys/class/fc_host/hostN}): its own WWPN and WWNN, whether it
 * is logged into the fabric ({@code port_state}: {@code Online}, {@code Linkdown}, …) and the
 * negotiated {@code speed} as the kernel prints it ({@code 8 Gbit}, {@code unknown}).
 */
@Value.Immutable
@MidplaneStyle
public abstract class FcHost {
  public abstract int hostNumber();

  /** {@code port_name}: the initiator WWPN the array masks LUNs to. */
  public abstract Wwn portName();

  /** {@code node_name}. */
  public abstract Wwn nodeName();

  /** {@code port_state}, as printed: {@code Online}, {@code Linkdown}, {@code Offline}, … */
  public abstract String portState();

  /** {@code speed}, as printed: {@code 8 Gbit}, {@code 16 Gbit}, {@code unknown}. */
  public abstract String speed();

  public boolean isOnline() {
    return portState().equals("Online");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableFcHost.Builder {}
}
