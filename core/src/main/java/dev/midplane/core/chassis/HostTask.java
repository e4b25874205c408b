package dev.midplane.core.chassis;

import dev.midplane.core.Host;

/**
 * What a {@link Chassis} does on each of its hosts. It runs on a thread of its own per host and is
 * interrupted when the host's time is up, so it should let {@link InterruptedException} (and the
 * SDK's interrupt-aware command runners) end it promptly.
 *
 * @param <T> the per-host value; {@code null} is allowed and reads as "succeeded, no value"
 */
@FunctionalInterface
public interface HostTask<T> {
  /** Does the work on {@code host}; anything thrown becomes that host's failure. */
  T call(Host host) throws Exception;
}
