package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import java.util.List;
import java.util.Objects;

/**
 * A bridge and its ports as the backend reads them — the part {@code ip} and {@code brctl} both
 * show, so either backend can produce it and the two can be compared.
 *
 * @param bridgeId in {@code brctl}'s spelling: priority, a dot, the MAC without separators
 * @param ports sorted by name
 */
public record BridgeStatus(InterfaceName name, String bridgeId, boolean stp, List<InterfaceName> ports) {
  public BridgeStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(bridgeId, "bridgeId");
    ports = ports.stream().sorted().toList();
  }
}
