package dev.midplane.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.testkit.CommandRunnerContract;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LocalCommandRunnerTest extends CommandRunnerContract {
  private final LocalCommandRunner runner = new LocalCommandRunner();

  @Override
  protected CommandRunner runner() {
    return runner;
  }

  @Test
  void timeoutKillsTheWholeProcessTree() throws Exception {
    // sh is the program under test here, not a shell the runner uses: it starts a child and waits.
    Command c = Command.builder("sh", "-c", "sleep 300 & echo $!; wait").timeout(Duration.ofMillis(800)).build();
    CommandTimeoutException e = org.junit.jupiter.api.Assertions.assertThrows(CommandTimeoutException.class, () -> runner.run(c));
    long child = Long.parseLong(e.partialStdout().strip());
    for (int i = 0; i < 100 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) {
      Thread.sleep(20);
    }
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("child %d alive", child).isFalse();
  }

  @Test
  void outputBeyondTheBoundIsDiscardedAndFlagged() {
    LocalCommandRunner small = new LocalCommandRunner("h", 1000, Duration.ofSeconds(1));
    CommandResult r = small.run(Command.builder("head", "-c", "5000000", "/dev/zero").timeout(Duration.ofSeconds(30)).build());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).hasSize(1000);
    assertThat(r.stdoutTruncated()).isTrue();
  }

  @Test
  void aBackgroundGrandchildHoldingThePipeDoesNotHangTheCaller() {
    Command c = Command.builder("sh", "-c", "sleep 30 >/dev/null 2>&1 & echo started").timeout(Duration.ofSeconds(60)).build();
    long t0 = System.nanoTime();
    CommandResult r = runner.run(c);
    assertThat(r.stdout()).isEqualTo("started\n");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void linesArriveWhileTheCommandRuns(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // The program waits until the listener has heard its first line; without streaming it would
    // wait until its timeout.
    java.nio.file.Path flag = dir.resolve("heard");
    Command c = Command.builder("sh", "-c", "echo ready; while [ ! -e \"$1\" ]; do sleep 0.05; done; echo done", "sh",
        flag.toString()).timeout(Duration.ofSeconds(60)).build();
    java.util.List<String> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    CommandResult r = runner.run(c, (stream, line) -> {
      heard.add(line);
      if (line.equals("ready")) {
        try {
          java.nio.file.Files.createFile(flag);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    });
    assertThat(r.stdout()).isEqualTo("ready\ndone\n");
    assertThat(heard).containsExactly("ready", "done");
  }

  @Test
  void decoratorsKeepStreaming(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path flag = dir.resolve("heard");
    CommandRunner decorated = Runners.logging(Runners.auditing(Runners.withDefaultTimeout(runner, Duration.ofSeconds(60)),
        AuditTrail.inMemory(4)));
    Command c = Command.of("sh", "-c", "echo ready; while [ ! -e \"$1\" ]; do sleep 0.05; done", "sh", flag.toString());
    CommandResult r = decorated.run(c, (stream, line) -> {
      try {
        java.nio.file.Files.createFile(flag);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    assertThat(r.exitCode()).isZero();
  }

  @Test
  void durationIsMeasured() {
    CommandResult r = runner.run(Command.of("sleep", "0.2"));
    assertThat(r.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(150));
  }

  @Test
  void nulInArgvIsRejectedBeforeAnythingRuns() {
    assertThatThrownBy(() -> Command.of("echo", "a\0b")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
  }
}
