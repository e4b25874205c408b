package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.testkit.CommandRunnerContract;
import dev.midplane.core.testkit.RequiresReal;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The runner contract and the file-access contract against real servers started by the tests:
 * OpenSSH's sshd (SFTP) and dropbear (no SFTP, so files go through commands).
 */
class RealServersTest {
  /** What both real servers must do beyond the shared contract. */
  abstract static class RunnerBase extends CommandRunnerContract {
    abstract Host host();

    @Override
    protected CommandRunner runner() {
      return host().runner();
    }

    @Test
    void timeoutKillsTheWholeRemoteProcessTree() throws Exception {
      Command c = Command.builder("sh", "-c", "sleep 300 & echo $!; wait").timeout(Duration.ofMillis(1500)).build();
      CommandTimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(CommandTimeoutException.class,
          () -> host().run(c));
      long child = Long.parseLong(e.partialStdout().strip());
      assertThat(Processes.gone(child)).as("remote child %d still alive", child).isTrue();
    }

    @Test
    void aProgramKilledBySignalExitsWith128PlusTheSignal() {
      assertThat(host().run(Command.of("sh", "-c", "kill -TERM $$")).exitCode()).isEqualTo(128 + 15);
    }

    @Test
    void aBackgroundChildHoldingStdoutDoesNotHangTheCaller() {
      CommandResult r = host().run(Command.builder("sh", "-c", "sleep 60 & echo $!").timeout(Duration.ofSeconds(30)).build());
      assertThat(r.exitCode()).isZero();
      ProcessHandle.of(Long.parseLong(r.stdout().strip())).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** The file-access contract against a real server; the backend follows from the server. */
  abstract static class FilesBase extends RemoteFilesContract {
    @org.junit.jupiter.api.io.TempDir
    Path scratch;

    abstract Server server();

    @Override
    protected Host host() {
      return server().host();
    }

    @Override
    protected String expectedBackend() {
      return server().kind == RealSshd.Kind.OPENSSH ? "sftp" : "commands";
    }

    @Override
    protected Path scratch() {
      return scratch;
    }
  }

  /** Starts {@code kind} once per test class, in {@code dir}, and connects one host to it. */
  static final class Server {
    final RealSshd.Kind kind;
    private Path dir;
    private RealSshd sshd;
    private Host host;

    Server(RealSshd.Kind kind) {
      this.kind = kind;
    }

    synchronized Server in(Path directory) {
      this.dir = directory;
      return this;
    }

    synchronized Host host() {
      if (host == null) {
        try {
          sshd = RealSshd.start(kind, dir);
        } catch (Exception e) {
          throw new AssertionError("could not start " + kind, e);
        }
        host = sshd.target().connect();
      }
      return host;
    }

    synchronized void stop() {
      try {
        if (host != null) {
          host.close();
        }
      } finally {
        host = null;
        if (sshd != null) {
          sshd.close();
          sshd = null;
        }
      }
    }
  }
}
