package dev.midplane.xen;

import dev.midplane.core.Host;
import dev.midplane.core.exec.RecordingRunner;
import dev.midplane.core.names.HostName;
import java.nio.file.Path;

/** Hosts whose commands a {@link RecordingRunner} answers, for the toolstack tests. */
final class ScriptedHosts {
  private ScriptedHosts() {}

  static Host blade07(RecordingRunner runner, Path root) {
    return Host.of(HostName.of("blade07"), Host.Kind.SIMULATED, runner, root, null, null);
  }
}
