package dev.midplane.multipath.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code device} entry of a blacklist: vendor and product regular expressions (either may be
 * missing in a hand-written file).
 */
public record DeviceMatch(Optional<String> vendor, Optional<String> product) {
  public DeviceMatch {
    Objects.requireNonNull(vendor, "vendor");
    Objects.requireNonNull(product, "product");
  }

  public static DeviceMatch of(String vendor, String product) {
    return new DeviceMatch(Optional.of(vendor), Optional.of(product));
  }
}
