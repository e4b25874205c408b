package dev.midplane.core.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.midplane.core.CommandTimeoutException;
import dev.midplane.core.testkit.CommandRunnerContract;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The simulated runner under the same contract as local processes. The coreutils the contract
 * speaks are registered here as handlers that behave like the real ones.
 */
class SimulatedRunnerTest extends CommandRunnerContract {
  private final SimulatedRunner runner = coreutils(new SimulatedRunner("sim1"));

  static SimulatedRunner coreutils(SimulatedRunner r) {
    return r
        .register("printf", inv -> {
          if (!inv.args().get(0).equals("%s\\n")) {
            return Reply.fail(1, "printf: only '%s\\n' is simulated");
          }
          StringBuilder b = new StringBuilder();
          inv.args().subList(1, inv.args().size()).forEach(a -> b.append(a).append('\n'));
          return Reply.ok(b.toString());
        })
        .register("cat", inv -> Reply.ok(inv.stdin().orElse("")))
        .register("head", inv -> {
          if (inv.args().size() == 3 && inv.args().get(0).equals("-c") && inv.args().get(2).equals("/dev/zero")) {
            return Reply.ok("\0".repeat(Integer.parseInt(inv.args().get(1))));
          }
          return Reply.fail(1, "head: unsupported in simulation");
        })
        .register("sleep", inv -> {
          Thread.sleep((long) (Double.parseDouble(inv.args().get(0)) * 1000));
          return Reply.ok();
        })
        .register("ls", inv -> Reply.fail(2, "ls: cannot access '" + inv.args().get(0) + "': No such file or directory"))
        .register("printenv", inv -> {
          String v = inv.command().environment().get(inv.args().get(0));
          return v == null ? new Reply(1, "", "") : Reply.ok(v + "\n");
        });
  }

  @Override
  protected CommandRunner runner() {
    return runner;
  }

  @Test
  void dispatchesOnTheProgramBaseName() {
    assertThat(runner.run(Command.of("/usr/bin/printf", "%s\\n", "x")).stdout()).isEqualTo("x\n");
  }

  @Test
  void aTimedOutHandlerIsInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    runner.register("hang", inv -> {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return Reply.ok();
    });
    assertThatThrownBy(() -> runner.run(Command.builder("hang").timeout(Duration.ofMillis(100)).build()))
        .isInstanceOf(CommandTimeoutException.class);
    assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void outputIsBoundedLikeTheLocalRunner() {
    SimulatedRunner small = coreutils(new SimulatedRunner("sim2", 1000));
    CommandResult r = small.run(Command.of("head", "-c", "5000", "/dev/zero"));
    assertThat(r.stdout()).hasSize(1000);
    assertThat(r.stdoutTruncated()).isTrue();
  }

  @Test
  void registeringAPathIsAMistake() {
    assertThatThrownBy(() -> runner.register("/sbin/ip", inv -> Reply.ok())).isInstanceOf(IllegalArgumentException.class);
  }
}
