package dev.midplane.network.antispoof;

import java.util.Locale;
import java.util.Optional;

/** The bridge netfilter hooks a chain can be attached to, in the order a frame meets them. */
public enum Hook {
  /** Every frame that entered on a port, before the forwarding decision (ebtables' nat table). */
  PREROUTING,
  /** Frames delivered to the bridge device itself, i.e. to the host. */
  INPUT,
  /** Frames bridged from one port to another. */
  FORWARD,
  /** Frames the bridge device (the host) sends. */
  OUTPUT,
  /** Every frame that leaves by a port (ebtables' nat table). */
  POSTROUTING;

  /** The hook for a name as nft and ebtables print it ({@code forward}, {@code FORWARD}). */
  public static Optional<Hook> named(String name) {
    for (Hook h : values()) {
      if (h.name().equalsIgnoreCase(name)) {
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  /** The nft spelling: {@code forward}. */
  public String nftName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
