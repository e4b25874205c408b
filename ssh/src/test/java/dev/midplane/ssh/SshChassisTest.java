package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.chassis.Chassis;
import dev.midplane.core.chassis.ChassisResults;
import dev.midplane.core.chassis.HostResult;
import dev.midplane.core.names.HostName;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A chassis of SSH hosts: two live blades, one whose port is closed, one that hangs. */
class SshChassisTest {
  @TempDir
  Path dir;

  @Test
  void aDeadAndAHungBladeCostOnlyTheirOwnTimeout() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    try (TestSshd a = TestSshd.start(Files.createDirectories(dir.resolve("a")));
        TestSshd b = TestSshd.start(Files.createDirectories(dir.resolve("b")))) {
      Path hungPid = dir.resolve("hung.pid");
      Host blade1 = a.target().name(HostName.of("blade1")).connectLazily();
      Host blade2 = b.target().name(HostName.of("blade2")).connectLazily();
      Host dead = a.target().name(HostName.of("blade3")).port(closedPort).connectLazily();
      Host hung = b.target().name(HostName.of("blade4")).connectLazily();
      try (Chassis chassis = Chassis.of(blade1, blade2, dead, hung)) {
        ChassisResults<String> r = chassis.onEach(Duration.ofSeconds(8), h -> {
          if (h.name().value().equals("blade4")) {
            // a blade whose command never returns: it writes its pid, then sleeps
            h.execute("sh", "-c", "echo $$ > \"$1\"; exec sleep 600", "sh", hungPid.toString());
          }
          return h.execute("printf", "%s", h.name().value()).stdout();
        });

        assertThat(r.all()).extracting(HostResult::host).extracting(HostName::value)
            .containsExactly("blade1", "blade2", "blade3", "blade4");
        assertThat(r.get("blade1").value()).contains("blade1");
        assertThat(r.get("blade2").value()).contains("blade2");

        HostResult<String> d = r.get("blade3");
        assertThat(d.outcome()).isEqualTo(HostResult.Outcome.FAILED);
        assertThat(d.error()).get().isInstanceOf(CommandFailedException.class)
            .satisfies(e -> assertThat(e.getCause()).isInstanceOf(SshConnectException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort));

        assertThat(r.get("blade4").outcome()).isEqualTo(HostResult.Outcome.TIMED_OUT);
        // The interrupt reaches the SSH runner, which kills the remote sleep.
        long pid = Processes.awaitPidFile(hungPid);
        assertThat(Processes.gone(pid)).as("hung remote command %d still running", pid).isTrue();
      }
    }
  }

  @Test
  void aChassisOfRemoteHostsReadsEveryHostsFiles() throws IOException {
    try (TestSshd a = TestSshd.start(Files.createDirectories(dir.resolve("a")));
        Chassis c = Chassis.of(a.target().name(HostName.of("blade1")).connect(),
            a.target().name(HostName.of("blade2")).fileAccess(FileAccess.COMMANDS).connect())) {
      Files.writeString(dir.resolve("release"), "6.1.0-28-amd64\n");
      ChassisResults<String> r = c.onEach(Duration.ofSeconds(30),
          h -> Files.readString(h.path(dir.resolve("release").toString())).strip());
      assertThat(r.requireAllSucceeded().values().values()).containsExactly("6.1.0-28-amd64", "6.1.0-28-amd64");
    }
  }
}
