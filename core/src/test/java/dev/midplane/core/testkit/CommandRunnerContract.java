package dev.midplane.core.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.exec.Command;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The {@link CommandRunner} contract, run against every implementation (local processes, simulated
 * tools, SSH). The suite speaks a handful of coreutils programs — {@code printf '%s\n'},
 * {@code cat}, {@code head -c N /dev/zero}, {@code sleep}, {@code ls}, {@code printenv} — which the
 * local machine has and which a simulated runner under test must register.
 */
public abstract class CommandRunnerContract {
  /** The runner under test. */
  protected abstract CommandRunner runner();

  /** Words a shell would mangle; a runner without a shell passes them through unchanged. */
  static final List<String> HOSTILE = List.of(
      "a b", "'single'", "\"double\"", "$(touch /tmp/midplane-contract-pwned)", "`id`", "*", "; echo x",
      "|", "&&", "$HOME", "\\", "-n", "", "tab\there", "new\nline", "ünïcødé", "x > /tmp/y");

  @Test
  void argvReachesTheProgramLiterallyWithoutAShell() {
    List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
    argv.addAll(HOSTILE);
    CommandResult r = runner().run(Command.of(argv));
    assertThat(r.exitCode()).isZero();
    StringBuilder expected = new StringBuilder();
    HOSTILE.forEach(w -> expected.append(w).append('\n'));
    assertThat(r.stdout()).isEqualTo(expected.toString());
    assertThat(new java.io.File("/tmp/midplane-contract-pwned")).doesNotExist();
  }

  @Test
  void stdinIsWrittenInFullAndClosed() {
    String text = "line one\nline 'two' $(x)\n" + "z".repeat(200_000) + "\n";
    CommandResult r = runner().run(Command.builder("cat").stdin(text).timeout(Duration.ofSeconds(30)).build());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEqualTo(text);
  }

  @Test
  void withoutStdinTheProgramSeesEndOfFile() {
    CommandResult r = runner().run(Command.builder("cat").timeout(Duration.ofSeconds(10)).build());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void largeOutputIsDrainedWithoutDeadlock() {
    int size = 12_000_000;
    CommandResult r = runner().run(Command.builder("head", "-c", Integer.toString(size), "/dev/zero")
        .timeout(Duration.ofSeconds(60)).build());
    assertThat(r.exitCode()).isZero();
    assertThat(r.stdout()).hasSize(size);
    assertThat(r.stdoutTruncated()).isFalse();
  }

  @Test
  void nonZeroExitIsAResultWithEvidence() {
    CommandResult r = runner().run(Command.of("ls", "/midplane-contract-no-such-dir"));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("No such file or directory");
    assertThatThrownBy(() -> r.requireSuccess("blade9"))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("ls /midplane-contract-no-such-dir")
        .hasMessageContaining("blade9")
        .hasMessageContaining("exited with 2")
        .hasMessageContaining("No such file or directory")
        .satisfies(e -> assertThat(((CommandFailedException) e).exitCode()).hasValue(2));
  }

  @Test
  void aMissingProgramCannotBeStarted() {
    assertThatThrownBy(() -> runner().run(Command.of("midplane-contract-no-such-program")))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("could not be started")
        .satisfies(e -> assertThat(((CommandFailedException) e).exitCode()).isEmpty());
  }

  @Test
  void environmentAdditionsReachTheProgram() {
    CommandResult r = runner().run(Command.builder("printenv", "MIDPLANE_CONTRACT").env("MIDPLANE_CONTRACT", "a b $c").build());
    assertThat(r.stdout()).isEqualTo("a b $c\n");
  }

  @Test
  void outputLinesReachAListener() {
    List<String> heard = new ArrayList<>();
    CommandResult r = runner().run(Command.of("printf", "%s\\n", "one", "two words", ""),
        (stream, line) -> heard.add(stream + ":" + line));
    assertThat(r.stdout()).isEqualTo("one\ntwo words\n\n");
    assertThat(heard).containsExactly("STDOUT:one", "STDOUT:two words", "STDOUT:");
  }

  @Test
  void timeoutKillsTheCommandAndThrows() {
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> runner().run(Command.builder("sleep", "30").timeout(Duration.ofMillis(300)).build()))
        .isInstanceOf(CommandTimeoutException.class)
        .hasMessageContaining("sleep 30")
        .hasMessageContaining("timed out after 300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void interruptKillsTheCommandAndKeepsTheFlag() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        runner().run(Command.builder("sleep", "30").timeout(Duration.ofSeconds(60)).build());
      } catch (Throwable e) {
        thrown.set(e);
      }
      flag.set(Thread.currentThread().isInterrupted());
    });
    t.start();
    Thread.sleep(300);
    t.interrupt();
    t.join(20_000);
    assertThat(t.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(CommandFailedException.class).hasMessageContaining("interrupted");
    assertThat(flag.get()).isTrue();
  }
}
