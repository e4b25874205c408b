package dev.midplane.examples.cli;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What {@code preflight} and {@code migrate} move: a running domain, to a blade. */
final class MoveOptions {
  @Parameters(index = "0", paramLabel = "DOMAIN", description = "The running VM.")
  DomainName domain;

  @Option(names = "--to", required = true, paramLabel = "HOST", description = "The blade to migrate to.")
  HostName to;

  @Mixin
  Blades blades;

  /** The connected blades, after the options were checked (bad ones exit 2 before any connection). */
  Blades.Connected connect() {
    blades.targets();
    return blades.connect();
  }

  /** The target, checked to be one of the blades. */
  HostName target(Blades.Connected c) {
    return c.host(to, "--to").name();
  }
}
