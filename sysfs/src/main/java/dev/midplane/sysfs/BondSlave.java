package dev.midplane.sysfs;

import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A bond slave's {@code bonding_slave/} attributes: {@code state} ({@code active} or
 * {@code backup}), {@code mii_status}, {@code link_failure_count} and {@code perm_hwaddr}.
 */
public record BondSlave(InterfaceName name, boolean active, SlaveLinkState miiStatus, int linkFailureCount,
    Optional<MacAddress> permanentAddress) {
  public BondSlave {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(miiStatus, "miiStatus");
    Objects.requireNonNull(permanentAddress, "permanentAddress");
  }
}
