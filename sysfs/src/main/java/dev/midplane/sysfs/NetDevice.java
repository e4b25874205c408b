package dev.midplane.sysfs;

import dev.midplane.core.MidplaneStyle;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** A network device ({@code /sys/class/net/X}) at the moment of discovery. */
@Value.Immutable
@MidplaneStyle
public abstract class NetDevice {
  public abstract InterfaceName name();

  public abstract int ifindex();

  public abstract NetDeviceKind kind();

  /** {@code address}; empty for devices without a 6-byte hardware address. */
  public abstract Optional<MacAddress> address();

  /** IFF_UP in {@code flags}: administratively up. */
  public abstract boolean adminUp();

  /** {@code operstate}: {@code up}, {@code down}, {@code lowerlayerdown}, {@code unknown}, … */
  public abstract String operstate();

  /** {@code carrier}; empty when the device is down (the kernel then refuses to tell). */
  public abstract Optional<Boolean> carrier();

  public abstract int mtu();

  /** {@code speed} in Mb/s, when the device reports one. */
  public abstract OptionalInt speedMbps();

  /** The bond or bridge this device is enslaved to (read from the master's side). */
  public abstract Optional<InterfaceName> master();

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder. */
  public static final class Builder extends ImmutableNetDevice.Builder {}
}
