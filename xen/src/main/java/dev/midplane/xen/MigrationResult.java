package dev.midplane.xen;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import java.time.Duration;
import java.util.List;

/**
 * A completed migration: which domain went where, every line the toolstack printed (understood)
 * and how long it took.
 */
public record MigrationResult(DomainName domain, HostName target, List<MigrationEvent> events, Duration duration) {
  public MigrationResult {
    events = List.copyOf(events);
  }
}
