package dev.midplane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostTest {
  @TempDir Path root;

  @Test
  void pathsResolveUnderTheRootAndNeverLeaveIt() {
    Host h = Host.simulated("blade1", root, new SimulatedRunner("blade1"));
    assertThat(h.path("/sys/class/net")).isEqualTo(root.resolve("sys/class/net"));
    assertThat(h.sys()).isEqualTo(root.resolve("sys"));
    assertThat(h.path("/")).isEqualTo(root);
    assertThatThrownBy(() -> h.path("sys")).hasMessageContaining("not an absolute path");
    assertThatThrownBy(() -> h.path("/sys/../../etc/shadow")).hasMessageContaining("'..'");
  }

  @Test
  void executeThrowsWithHostEvidence() {
    Host h = Host.simulated("blade1", root, new SimulatedRunner("blade1")
        .register("multipath", inv -> Reply.fail(1, "vm1: map in use")));
    assertThatThrownBy(() -> h.execute("multipath", "-f", "vm1"))
        .isInstanceOf(CommandFailedException.class)
        .hasMessage("`multipath -f vm1` on blade1 exited with 1: vm1: map in use");
    assertThat(h.run(Command.of("multipath", "-f", "vm1")).exitCode()).isEqualTo(1);
  }

  @Test
  void localHostHasARealName() {
    Host h = Host.local();
    assertThat(h.kind()).isEqualTo(Host.Kind.LOCAL);
    assertThat(h.root()).isEqualTo(Path.of("/"));
    assertThat(h.name().value()).isNotBlank();
    assertThat(h.execute("printf", "%s", "x").stdout()).isEqualTo("x");
  }
}
