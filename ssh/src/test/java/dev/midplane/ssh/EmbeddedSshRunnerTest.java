package dev.midplane.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import dev.midplane.core.testkit.CommandRunnerContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner contract over SSH against an embedded MINA SSHD server on 127.0.0.1 that runs each
 * command string through a real {@code /bin/sh -c}, as sshd does — so the hostile-argv test proves
 * the quoting round trip — plus what is particular to a remote runner.
 */
class EmbeddedSshRunnerTest extends CommandRunnerContract {
  @TempDir
  static Path dir;
  static TestSshd sshd;
  static Host host;

  @BeforeAll
  static void start() {
    sshd = TestSshd.start(dir);
    host = sshd.target().connect();
  }

  @AfterAll
  static void stop() {
    if (host != null) {
      host.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  @Override
  protected CommandRunner runner() {
    return host.runner();
  }

  @Test
  void theHostIsRemoteAndNamedAfterTheAddress() {
    assertThat(host.kind()).isEqualTo(Host.Kind.REMOTE);
    assertThat(host.name().value()).isEqualTo("127.0.0.1");
    assertThat(host.root().toString()).isEqualTo("/");
  }

  @Test
  void stderrAndExitCodeAreTheProgramsOwn() {
    CommandResult r = host.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("out\n");
    // The wrapper's pid announcement is taken out of stderr.
    assertThat(r.stderr()).isEqualTo("err\n");
  }

  @Test
  void aProgramKilledBySignalExitsWith128PlusTheSignal() {
    CommandResult r = host.run(Command.of("sh", "-c", "kill -TERM $$"));
    assertThat(r.exitCode()).isEqualTo(128 + 15);
  }

  @Test
  void timeoutKillsTheWholeRemoteProcessTree() throws Exception {
    // sh is the program under test: it starts a child, reports its pid and waits. The server is
    // this machine, so the child's pid can be checked here.
    Command c = Command.builder("sh", "-c", "sleep 300 & echo $!; wait").timeout(Duration.ofMillis(1500)).build();
    CommandTimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(CommandTimeoutException.class, () -> host.run(c));
    long child = Long.parseLong(e.partialStdout().strip());
    assertThat(Processes.gone(child)).as("remote child %d still alive", child).isTrue();
  }

  @Test
  void interruptKillsTheRemoteProcessTree() throws Exception {
    Path pidFile = dir.resolve("interrupt.pid");
    Thread t = new Thread(() -> {
      try {
        host.run(Command.builder("sh", "-c", "sleep 300 & echo $! > \"$1\"; wait", "sh", pidFile.toString())
            .timeout(Duration.ofMinutes(5)).build());
      } catch (CommandFailedException expected) {
        // interrupted
      }
    });
    t.start();
    long child = Processes.awaitPidFile(pidFile);
    t.interrupt();
    t.join(30_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(Processes.gone(child)).as("remote child %d still alive", child).isTrue();
  }

  @Test
  void oneSessionCarriesManyCommandsInParallel() throws Exception {
    int before = sshd.sessionsCreated.get();
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Callable<String>> calls = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        String word = "w" + i;
        calls.add(() -> host.execute("printf", "%s", word).stdout());
      }
      List<String> got = new ArrayList<>();
      for (Future<String> f : pool.invokeAll(calls)) {
        got.add(f.get());
      }
      List<String> want = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        want.add("w" + i);
      }
      assertThat(got).isEqualTo(want);
    } finally {
      pool.shutdownNow();
    }
    assertThat(sshd.sessionsCreated.get()).isEqualTo(before);
  }

  @Test
  void aDroppedSessionIsReestablishedByTheNextCommand() {
    try (Host h = sshd.target().connect()) {
      assertThat(h.execute("printf", "one").stdout()).isEqualTo("one");
      int before = sshd.sessionsCreated.get();
      sshd.dropAllSessions();
      assertThat(h.execute("printf", "two").stdout()).isEqualTo("two");
      assertThat(sshd.sessionsCreated.get()).isGreaterThan(before);
    } finally {
      // the shared host lost its session too; it reconnects on its next command
      assertThat(host.execute("printf", "three").stdout()).isEqualTo("three");
    }
  }

  @Test
  void aBackgroundChildHoldingStdoutDoesNotHangTheCaller() throws Exception {
    // OpenSSH keeps such a channel open until the child ends; the runner stops waiting once
    // the command has exited and its output has gone quiet.
    CommandResult r = host.run(Command.builder("sh", "-c", "sleep 60 & echo $!").timeout(Duration.ofSeconds(30)).build());
    assertThat(r.exitCode()).isZero();
    long child = Long.parseLong(r.stdout().strip());
    ProcessHandle.of(child).ifPresent(ProcessHandle::destroyForcibly);
  }

  @Test
  void outputBeyondTheBoundIsDiscardedAndFlagged() {
    try (Host small = sshd.target().maxOutputBytes(1000).connect()) {
      CommandResult r = small.run(Command.builder("head", "-c", "5000000", "/dev/zero").timeout(Duration.ofSeconds(60)).build());
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout()).hasSize(1000);
      assertThat(r.stdoutTruncated()).isTrue();
    }
  }

  @Test
  void aProgramNameStartingWithADashIsRefusedBeforeAnythingRuns() {
    int before = sshd.sessionsCreated.get();
    assertThatThrownBy(() -> host.run(Command.of("-n", "x")))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("could not be started")
        .hasMessageContaining("must not start with '-'");
    assertThat(sshd.sessionsCreated.get()).isEqualTo(before);
  }

  @Test
  void theCommandLineQuotesTheArgvOnceAfterTheAnnouncement() {
    String line = RemoteExec.commandLine(List.of("ip", "link", "set", "dev", "a b"), java.util.Map.of("LC_ALL", "C"), "ab12");
    assertThat(line).isEqualTo("printf 'midplane-pid:ab12:%s\\n' \"$$\" >&2; LC_ALL=C; export LC_ALL; exec ip link set dev 'a b'");
  }

  @Test
  void closingTheHostEndsItsSession() throws Exception {
    Host h = sshd.target().connect();
    h.execute("true");
    int open = sshd.server.getActiveSessions().size();
    h.close();
    for (int i = 0; i < 200 && sshd.server.getActiveSessions().size() >= open; i++) {
      Thread.sleep(20);
    }
    assertThat(sshd.server.getActiveSessions()).hasSizeLessThan(open);
    assertThatThrownBy(() -> h.execute("true")).isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("closed");
    assertThat(Files.exists(dir)).isTrue();
  }
}
