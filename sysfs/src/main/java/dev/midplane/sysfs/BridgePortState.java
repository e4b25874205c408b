package dev.midplane.sysfs;

import java.util.Optional;

/** A bridge port's STP state, the number in {@code brport/state} and the word {@code bridge link} prints. */
public enum BridgePortState {
  DISABLED(0, "disabled"),
  LISTENING(1, "listening"),
  LEARNING(2, "learning"),
  FORWARDING(3, "forwarding"),
  BLOCKING(4, "blocking");

  private final int number;
  private final String text;

  BridgePortState(int number, String text) {
    this.number = number;
    this.text = text;
  }

  public int number() {
    return number;
  }

  public String text() {
    return text;
  }

  /** Reads {@code brport/state}. */
  public static Optional<BridgePortState> fromNumber(int n) {
    for (BridgePortState s : values()) {
      if (s.number == n) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
