package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.names.HostName;
import dev.midplane.core.testkit.Fixtures;
import java.nio.file.Path;

/** Real captures of the other packages' test resources, and hosts whose commands a test scripts. */
final class Captures {
  private Captures() {}

  /** A capture by its resource path under {@code dev/midplane/multipath/}, without its provenance header. */
  static String text(String path) {
    return Fixtures.text(Captures.class, "/dev/midplane/multipath/" + path);
  }

  static Host host(CommandRunner runner) {
    return Host.of(HostName.of("blade1"), Host.Kind.SIMULATED, runner, Path.of("/nonexistent-root"), null, null);
  }
}
