package dev.midplane.network;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.ParseException;
import dev.midplane.core.exec.CommandResult;

/**
 * Reads the live state with {@code ip -j -d addr show} where iproute2 prints JSON, and from sysfs
 * (plus {@code ip -o addr show}) where it does not — remembering which works, so the probe costs
 * one process once.
 */
final class LiveReader {
  private volatile Boolean json;

  LiveState read(Host host) {
    if (!Boolean.FALSE.equals(json)) {
      try {
        CommandResult r = host.run(IpCommands.readCommand());
        if (r.isSuccess()) {
          LiveState s = LiveState.fromIp(r.stdout());
          json = true;
          return s;
        }
        if (Boolean.TRUE.equals(json)) {
          r.requireSuccess(host.name().value());
        }
      } catch (ParseException | CommandFailedException e) {
        if (Boolean.TRUE.equals(json)) {
          throw e;
        }
      }
      json = false;
    }
    return SysfsState.read(host);
  }

  /** Whether reads go through {@code ip -j}; empty until the first read. */
  java.util.Optional<Boolean> usesJson() {
    return java.util.Optional.ofNullable(json);
  }
}
