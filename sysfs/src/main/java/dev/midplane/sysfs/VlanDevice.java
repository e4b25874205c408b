package dev.midplane.sysfs;

import dev.midplane.core.names.InterfaceName;
import java.util.Objects;

/** An 802.1Q device: its name, VLAN id (0–4094) and the device it sits on. */
public record VlanDevice(InterfaceName name, int id, InterfaceName parent) {
  public VlanDevice {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(parent, "parent");
    if (id < 0 || id > 4094) {
      throw new IllegalArgumentException("VLAN id out of range 0–4094: " + id);
    }
  }
}
