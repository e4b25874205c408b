package dev.midplane.network;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a bridge is created: STP on or off, the forward delay, and optionally the ageing time. The
 * kernel keeps both times in centiseconds; {@code ageingTime} {@link Duration#ZERO} makes the
 * bridge flood every unicast (a hub), which only tests want.
 *
 * @param stp spanning tree; a Xen bridge with one uplink runs without it
 * @param forwardDelay how long a new port listens and learns before it forwards
 */
public record BridgeOptions(boolean stp, Duration forwardDelay, Optional<Duration> ageingTime) {
  public BridgeOptions {
    Objects.requireNonNull(forwardDelay, "forwardDelay");
    Objects.requireNonNull(ageingTime, "ageingTime");
    if (forwardDelay.isNegative() || ageingTime.filter(Duration::isNegative).isPresent()) {
      throw new IllegalArgumentException("times must not be negative");
    }
  }

  /** What a Xen host wants: no STP, no forward delay (so a new vif forwards at once). */
  public static BridgeOptions xen() {
    return new BridgeOptions(false, Duration.ZERO, Optional.empty());
  }

  public BridgeOptions withAgeingTime(Duration d) {
    return new BridgeOptions(stp, forwardDelay, Optional.of(d));
  }

  static int centiseconds(Duration d) {
    return Math.toIntExact(d.toMillis() / 10);
  }

  /** Arguments after {@code type bridge} for {@code ip link add}. */
  List<String> ipArguments() {
    List<String> a = new ArrayList<>(List.of("stp_state", stp ? "1" : "0", "forward_delay",
        String.valueOf(centiseconds(forwardDelay))));
    ageingTime.ifPresent(t -> a.addAll(List.of("ageing_time", String.valueOf(centiseconds(t)))));
    return a;
  }

  /** Seconds as brctl takes them, with two decimals. */
  static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.2f", d.toMillis() / 1000.0);
  }
}
