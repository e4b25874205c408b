package dev.midplane.core.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.HostName;
import java.time.Duration;

/**
 * A host did not finish its part of a chassis operation within its timeout. Its task was
 * interrupted and its result given up; the other hosts' results are unaffected.
 */
public class HostTimeoutException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final HostName host;
  private final Duration timeout;

  public HostTimeoutException(HostName host, Duration timeout) {
    super("host " + host + " did not finish within " + timeout.toMillis()
        + " ms; its task was interrupted and its result given up");
    this.host = host;
    this.timeout = timeout;
  }

  public HostName host() {
    return host;
  }

  public Duration timeout() {
    return timeout;
  }
}
