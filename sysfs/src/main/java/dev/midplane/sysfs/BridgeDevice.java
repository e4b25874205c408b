package dev.midplane.sysfs;

import dev.midplane.core.names.InterfaceName;
import java.util.List;
import java.util.Objects;

/** A bridge ({@code /sys/class/net/X/bridge/}) and its ports ({@code brif/}, each with {@code brport/state}). */
public record BridgeDevice(InterfaceName name, boolean stpEnabled, List<BridgePort> ports) {
  public BridgeDevice {
    Objects.requireNonNull(name, "name");
    ports = List.copyOf(ports);
  }

  /** A port of a bridge and its STP state. */
  public record BridgePort(InterfaceName name, BridgePortState state) {
    public BridgePort {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(state, "state");
    }
  }
}
