package dev.midplane.examples.cli;

import dev.midplane.core.Host;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code preflight} and {@code migrate} move: a running domain, from a blade, to a blade. */
final class MoveOptions {
  @Parameters(index = "0", paramLabel = "DOMAIN", description = "The running VM.")
  DomainName domain;

  @Option(names = "--to", required = true, paramLabel = "HOST", description = "The blade to migrate to.")
  HostName to;

  @Option(names = "--from", paramLabel = "HOST", description = "The blade it runs on (default: wherever it runs).")
  HostName from;

  @Mixin
  Blades blades;

  /** The connected blades, after the options were checked (bad ones exit 2 before any connection). */
  Blades.Connected connect() {
    blades.targets();
    return blades.connect();
  }

  Host target(Blades.Connected c) {
    return c.host(to, "--to");
  }

  Host source(Blades.Connected c) {
    return from == null ? c.whereRuns(domain) : c.host(from, "--from");
  }
}
