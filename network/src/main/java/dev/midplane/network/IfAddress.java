package dev.midplane.network;

import dev.midplane.core.names.InterfaceName;
import java.util.Objects;

/**
 * An address configured on a device ({@code ip -j addr show}).
 *
 * @param family {@code inet} or {@code inet6}
 * @param scope {@code global}, {@code link}, {@code host}
 */
public record IfAddress(InterfaceName device, String family, String address, int prefixLength, String scope) {
  public IfAddress {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(scope, "scope");
  }

  /** Reachable beyond the link: what a management connection uses. */
  public boolean isGlobal() {
    return scope.equals("global");
  }

  @Override
  public String toString() {
    return address + "/" + prefixLength;
  }
}
