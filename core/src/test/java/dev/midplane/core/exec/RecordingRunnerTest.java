package dev.midplane.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecordingRunnerTest {
  private final SimulatedRunner sim = new SimulatedRunner("sim")
      .register("echo", inv -> Reply.ok(String.join(" ", inv.args()) + "\n"));

  @Test
  void recordsAndPassesOn() {
    RecordingRunner r = RecordingRunner.wrapping(sim);
    assertThat(r.run(Command.of("echo", "a")).stdout()).isEqualTo("a\n");
    r.run(Command.of("echo", "b"));
    assertThat(r.takeCommand().argv()).containsExactly("echo", "a");
    assertThat(r.takeCommand().argv()).containsExactly("echo", "b");
    assertThatThrownBy(r::takeCommand).isInstanceOf(java.util.NoSuchElementException.class);
    assertThat(r.commandCount()).isEqualTo(2);
  }

  @Test
  void scriptedRepliesComeInOrder() {
    RecordingRunner r = RecordingRunner.scripted().enqueue(Reply.ok("one")).enqueue(Reply.fail(3, "nope"));
    assertThat(r.run(Command.of("x")).stdout()).isEqualTo("one");
    CommandResult second = r.run(Command.of("x"));
    assertThat(second.exitCode()).isEqualTo(3);
    assertThat(second.stderr()).isEqualTo("nope\n");
    assertThatThrownBy(() -> r.run(Command.of("x"))).hasMessageContaining("no reply scripted for `x`");
  }

  @Test
  void rulesMatchOnArgvPrefixAndCountTheirHits() {
    RecordingRunner r = RecordingRunner.wrapping(sim);
    RecordingRunner.Rule rule = r.on("echo", "fail").fault(Fault.exit(5, "boom")).afterMatches(1).once();
    assertThat(r.run(Command.of("echo", "fail")).exitCode()).as("first match passes").isZero();
    assertThat(r.run(Command.of("/bin/echo", "fail", "now")).exitCode()).as("second match fails").isEqualTo(5);
    assertThat(r.run(Command.of("echo", "fail")).exitCode()).as("rule used up").isZero();
    assertThat(r.run(Command.of("echo", "other")).exitCode()).isZero();
    assertThat(rule.hits()).isEqualTo(1);
  }

  @Test
  void namedFaults() {
    RecordingRunner r = RecordingRunner.wrapping(sim);
    r.on("echo", "t").fault(Fault.timeout());
    r.on("echo", "p").fault(Fault.permissionDenied());
    r.on("echo", "n").fault(Fault.notInstalled());
    r.on("echo", "cut").fault(Fault.truncatedOutput(3));
    assertThatThrownBy(() -> r.run(Command.of("echo", "t"))).isInstanceOf(CommandTimeoutException.class);
    assertThatThrownBy(() -> r.run(Command.of("echo", "p")))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("Permission denied");
    assertThatThrownBy(() -> r.run(Command.of("echo", "n")))
        .isInstanceOf(CommandFailedException.class).hasMessageContaining("No such file");
    assertThat(r.run(Command.of("echo", "cut", "abcdef")).stdout()).isEqualTo("cut");
  }

  @Test
  void sideEffectsHappenAroundTheRealCommand() {
    AtomicInteger state = new AtomicInteger();
    SimulatedRunner s = new SimulatedRunner("s").register("read", inv -> Reply.ok(Integer.toString(state.get())));
    RecordingRunner r = RecordingRunner.wrapping(s);
    r.on("read").fault(Fault.sideEffectBefore("path drops", () -> state.set(7))).once();
    assertThat(r.run(Command.of("read")).stdout()).isEqualTo("7");
  }
}
