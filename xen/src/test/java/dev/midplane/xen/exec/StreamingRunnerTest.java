package dev.midplane.xen.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.testkit.RequiresReal;
import dev.midplane.xen.exec.OutputListener.Stream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamingRunnerTest {
  private record Heard(Stream stream, String line) {}

  private final List<Heard> heard = new CopyOnWriteArrayList<>();
  private final OutputListener record = (s, l) -> heard.add(new Heard(s, l));
  private final LocalStreamingRunner local = StreamingRunner.local("test");

  @Test
  @RequiresReal(tools = "sh")
  void linesReachTheListenerWhileTheCommandStillRuns(@TempDir Path dir) {
    Path handshake = dir.resolve("seen-first");
    // The command prints a line, then waits until the listener has seen it. Without streaming it
    // would wait until the timeout.
    Command c = Command.builder("sh", "-c", "echo first; while [ ! -e \"$1\" ]; do sleep 0.05; done; echo second >&2", "sh",
        handshake.toString()).timeout(Duration.ofSeconds(60)).build();
    CommandResult r = local.run(c, (s, l) -> {
      heard.add(new Heard(s, l));
      if (l.equals("first")) {
        try {
          Files.createFile(handshake);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    });
    assertThat(heard).containsExactly(new Heard(Stream.STDOUT, "first"), new Heard(Stream.STDERR, "second"));
    assertThat(r.stdout()).isEqualTo("first\n");
    assertThat(r.stderr()).isEqualTo("second\n");
  }

  @Test
  @RequiresReal(tools = "printf")
  void progressMetersEndTheirLinesWithCarriageReturns() {
    local.run(Command.builder("printf", "a\\rb\\r\\nc\\nd").timeout(Duration.ofSeconds(20)).build(), record);
    assertThat(heard).extracting(Heard::line).containsExactly("a", "b", "c", "d");
  }

  @Test
  @RequiresReal(tools = "printf")
  void multiByteCharactersSurviveReadBoundaries() {
    String text = "é中".repeat(4000);
    CommandResult r = local.run(Command.builder("printf", "%s\\n", text).timeout(Duration.ofSeconds(20)).build(), record);
    assertThat(heard).extracting(Heard::line).containsExactly(text);
    assertThat(r.stdout()).isEqualTo(text + "\n");
  }

  @Test
  @RequiresReal(tools = "printf")
  void aFailingListenerDoesNotStopTheCommand() {
    CommandResult r = local.run(Command.builder("printf", "1\\n2\\n3\\n").timeout(Duration.ofSeconds(20)).build(), (s, l) -> {
      throw new IllegalStateException("listener bug");
    });
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo("1\n2\n3\n");
  }

  @Test
  @RequiresReal(tools = "sh")
  void aTimeoutKeepsWhatWasHeardBeforeIt() {
    assertThatThrownBy(() -> local.run(Command.builder("sh", "-c", "echo before; exec sleep 30").timeout(Duration.ofMillis(700)).build(),
        record))
        .isInstanceOfSatisfying(CommandTimeoutException.class, e -> assertThat(e.partialStdout()).isEqualTo("before\n"));
    assertThat(heard).extracting(Heard::line).containsExactly("before");
  }

  @Test
  @RequiresReal(tools = "printf")
  void theKeptOutputIsBoundedButEveryLineIsHeard() {
    LocalStreamingRunner small = new LocalStreamingRunner("test", 10, Duration.ofMillis(500));
    String line = "x".repeat(100);
    CommandResult r = small.run(Command.builder("printf", "%s\\n", line).timeout(Duration.ofSeconds(20)).build(), record);
    assertThat(heard).extracting(Heard::line).containsExactly(line);
    assertThat(r.stdout()).hasSize(10);
    assertThat(r.stdoutTruncated()).isTrue();
  }

  @Test
  void runnersThatCannotStreamReplayTheOutputAfterwards() {
    SimulatedRunner sim = new SimulatedRunner("blade07").register("xl", inv -> new Reply(0, "out1\nout2", "err1\r\nerr2\n"));
    CommandResult r = StreamingRunner.afterCompletion(sim).run(Command.of("xl", "migrate", "vm1", "blade08"), record);
    assertThat(heard).containsExactly(new Heard(Stream.STDOUT, "out1"), new Heard(Stream.STDOUT, "out2"),
        new Heard(Stream.STDERR, "err1"), new Heard(Stream.STDERR, "err2"));
    assertThat(r.stdout()).isEqualTo("out1\nout2");
  }

  @Test
  void aVeryLongLineComesInPieces() {
    SimulatedRunner sim = new SimulatedRunner("h").register("x", inv -> Reply.ok("y".repeat(LineSplitter.MAX_LINE + 5)));
    StreamingRunner.afterCompletion(sim).run(Command.of("x"), record);
    assertThat(heard).extracting(h -> h.line().length()).containsExactly(LineSplitter.MAX_LINE, 5);
  }
}
