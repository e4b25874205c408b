package dev.midplane.sysfs;

import java.util.Optional;

/**
 * A bond slave's link as the bonding driver tracks it ({@code bonding_slave/mii_status}, the
 * {@code MII Status:} of a slave in {@code /proc/net/bonding/bondN}). {@code GOING_DOWN} and
 * {@code GOING_BACK} are the states during {@code downdelay} and {@code updelay}.
 */
public enum SlaveLinkState {
  UP("up"),
  GOING_DOWN("going down"),
  DOWN("down"),
  GOING_BACK("going back");

  private final String text;

  SlaveLinkState(String text) {
    this.text = text;
  }

  /** The kernel's wording. */
  public String text() {
    return text;
  }

  public static Optional<SlaveLinkState> fromText(String text) {
    for (SlaveLinkState s : values()) {
      if (s.text.equals(text.strip())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
