package dev.midplane.core.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.Uninterruptibles;
import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.MidplaneException;
import dev.midplane.core.NotFoundException;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.exec.SimulatedRunner;
import dev.midplane.core.names.HostName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChassisTest {
  @TempDir
  Path dir;

  /** A simulated blade whose {@code uname -r} answers its name, after {@code gate} opens. */
  private Host blade(String name, CountDownLatch gate) {
    SimulatedRunner r = new SimulatedRunner(name).register("uname", inv -> {
      gate.await();
      return Reply.ok("6.1.0-" + name + "\n");
    });
    return Host.simulated(name, dir, r);
  }

  private static HostTask<String> kernel() {
    return h -> h.execute("uname", "-r").stdout().strip();
  }

  @Test
  void everyHostAnswersAndResultsKeepChassisOrder() {
    CountDownLatch open = new CountDownLatch(0);
    Chassis c = Chassis.of(blade("blade3", open), blade("blade1", open), blade("blade2", open));
    ChassisResults<String> r = c.onEach(Duration.ofSeconds(30), kernel());
    assertThat(r.allSucceeded()).isTrue();
    assertThat(r.all()).extracting(HostResult::host)
        .containsExactly(HostName.of("blade3"), HostName.of("blade1"), HostName.of("blade2"));
    assertThat(r.values()).containsExactly(
        Map.entry(HostName.of("blade3"), "6.1.0-blade3"),
        Map.entry(HostName.of("blade1"), "6.1.0-blade1"),
        Map.entry(HostName.of("blade2"), "6.1.0-blade2"));
    assertThat(r.get("blade1").get()).isEqualTo("6.1.0-blade1");
    assertThat(r.requireAllSucceeded()).isSameAs(r);
  }

  @Test
  void orderIsTheChassisOrderEvenWhenHostsFinishInReverse() {
    // blade-c finishes first, then b, then a: each waits for the next one to finish.
    CountDownLatch cDone = new CountDownLatch(1);
    CountDownLatch bDone = new CountDownLatch(1);
    List<String> finished = new ArrayList<>();
    HostTask<String> task = h -> {
      switch (h.name().value()) {
        case "blade-a" -> bDone.await();
        case "blade-b" -> cDone.await();
        default -> { }
      }
      synchronized (finished) {
        finished.add(h.name().value());
      }
      if (h.name().value().equals("blade-c")) {
        cDone.countDown();
      } else if (h.name().value().equals("blade-b")) {
        bDone.countDown();
      }
      return h.name().value();
    };
    CountDownLatch open = new CountDownLatch(0);
    ChassisResults<String> r = Chassis.of(blade("blade-a", open), blade("blade-b", open), blade("blade-c", open))
        .onEach(Duration.ofSeconds(30), task);
    assertThat(finished).containsExactly("blade-c", "blade-b", "blade-a");
    assertThat(r.all()).extracting(x -> x.value().orElseThrow()).containsExactly("blade-a", "blade-b", "blade-c");
  }

  @Test
  void aSlowHostTimesOutIsInterruptedAndTheOthersAreUnaffected() {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch open = new CountDownLatch(0);
    AtomicBoolean slowSawInterrupt = new AtomicBoolean();
    Host slow = Host.simulated("slow", dir, new SimulatedRunner("slow").register("uname", inv -> {
      try {
        never.await();
        return Reply.ok("never\n");
      } catch (InterruptedException e) {
        slowSawInterrupt.set(true);
        throw e;
      }
    }));
    Duration timeout = Duration.ofMillis(400);
    ChassisResults<String> r = Chassis.of(blade("fast1", open), slow, blade("fast2", open)).onEach(timeout, kernel());

    assertThat(r.get("fast1").succeeded()).isTrue();
    assertThat(r.get("fast2").value()).contains("6.1.0-fast2");
    HostResult<String> s = r.get("slow");
    assertThat(s.outcome()).isEqualTo(HostResult.Outcome.TIMED_OUT);
    assertThat(s.value()).isEmpty();
    assertThat(s.error()).containsInstanceOf(HostTimeoutException.class);
    assertThat(((HostTimeoutException) s.error().orElseThrow()).host()).isEqualTo(HostName.of("slow"));
    assertThat(s.duration()).isGreaterThanOrEqualTo(timeout);
    assertThat(r.timedOut()).extracting(HostResult::host).containsExactly(HostName.of("slow"));
    assertThatThrownBy(s::get).isInstanceOf(HostTimeoutException.class).hasMessageContaining("slow");
    // The interrupt reaches the simulated program through the runner; wait for it to land.
    for (int i = 0; i < 500 && !slowSawInterrupt.get(); i++) {
      Uninterruptibles.sleepUninterruptibly(Duration.ofMillis(10));
    }
    assertThat(slowSawInterrupt).isTrue();
  }

  @Test
  void aThrowingHostIsReportedWithItsEvidence() {
    CountDownLatch open = new CountDownLatch(0);
    Host broken = Host.simulated("broken", dir, new SimulatedRunner("broken")
        .register("uname", inv -> Reply.fail(1, "uname: cannot read kernel release")));
    ChassisResults<String> r = Chassis.of(blade("ok1", open), broken).onEach(Duration.ofSeconds(30), kernel());

    HostResult<String> b = r.get("broken");
    assertThat(b.outcome()).isEqualTo(HostResult.Outcome.FAILED);
    assertThat(b.error()).get().isInstanceOf(CommandFailedException.class)
        .satisfies(e -> assertThat(e.getMessage()).contains("uname -r", "broken", "cannot read kernel release"));
    assertThat(r.values()).containsOnlyKeys(HostName.of("ok1"));
    assertThatThrownBy(r::requireAllSucceeded)
        .isInstanceOf(MidplaneException.class)
        .hasMessageContaining("1 of 2 hosts failed")
        .hasMessageContaining("broken")
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1).allMatch(x -> x instanceof CommandFailedException));
    assertThatThrownBy(b::get).isInstanceOf(MidplaneException.class).hasMessageContaining("host broken failed")
        .hasCauseInstanceOf(CommandFailedException.class);
  }

  @Test
  void parallelismIsBoundedAndATaskIgnoringItsInterruptDoesNotHoldItsSlot() {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    AtomicReference<String> stuckStillBlocked = new AtomicReference<>();
    CountDownLatch open = new CountDownLatch(0);
    HostTask<String> task = h -> {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      try {
        if (h.name().value().equals("stuck")) {
          // Ignores interrupts: only the test's latch ends it.
          Uninterruptibles.awaitUninterruptibly(release);
          return "late";
        }
        stuckStillBlocked.compareAndSet(null, release.getCount() == 1 ? "blocked" : "released");
        return "ok";
      } finally {
        running.decrementAndGet();
      }
    };
    try {
      Chassis c = Chassis.of(blade("stuck", open), blade("next1", open), blade("next2", open)).withParallelism(1);
      ChassisResults<String> r = c.onEach(Duration.ofMillis(300), task);
      assertThat(r.get("stuck").outcome()).isEqualTo(HostResult.Outcome.TIMED_OUT);
      assertThat(r.get("next1").value()).contains("ok");
      assertThat(r.get("next2").value()).contains("ok");
      // next1 ran while stuck's thread was still blocked: its slot was given back at the timeout.
      assertThat(stuckStillBlocked.get()).isEqualTo("blocked");
    } finally {
      release.countDown();
    }
    // With parallelism 1, two tasks overlap only through the abandoned thread: never more than 2.
    assertThat(maxRunning.get()).isLessThanOrEqualTo(2);
  }

  @Test
  void parallelismBoundHoldsForWellBehavedTasks() {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    CountDownLatch open = new CountDownLatch(0);
    List<Host> hosts = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      hosts.add(blade("b" + i, open));
    }
    ChassisResults<Integer> r = Chassis.of(hosts).withParallelism(3).onEach(Duration.ofSeconds(30), h -> {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      Thread.sleep(30);
      running.decrementAndGet();
      return now;
    });
    assertThat(r.allSucceeded()).isTrue();
    assertThat(maxRunning.get()).isBetween(1, 3);
    assertThat(r.values().values()).allMatch(n -> n <= 3);
  }

  @Test
  void aNullValueIsSuccessWithoutValue() {
    CountDownLatch open = new CountDownLatch(0);
    ChassisResults<Void> r = Chassis.of(blade("b1", open)).onEach(Duration.ofSeconds(5), h -> null);
    assertThat(r.get("b1").succeeded()).isTrue();
    assertThat(r.get("b1").value()).isEmpty();
    assertThat(r.get("b1").get()).isNull();
    assertThat(r.values()).isEmpty();
  }

  @Test
  void interruptingTheCallerInterruptsTheTasksAndKeepsTheFlag() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(2);
    AtomicInteger interrupted = new AtomicInteger();
    CountDownLatch open = new CountDownLatch(0);
    Chassis c = Chassis.of(blade("x1", open), blade("x2", open));
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flag = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        c.onEach(Duration.ofMinutes(5), h -> {
          started.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
          }
          return "never";
        });
      } catch (Throwable e) {
        thrown.set(e);
      }
      flag.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    started.await();
    caller.interrupt();
    caller.join(20_000);
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(MidplaneException.class).hasMessageContaining("interrupted");
    assertThat(flag).isTrue();
    for (int i = 0; i < 500 && interrupted.get() < 2; i++) {
      Uninterruptibles.sleepUninterruptibly(Duration.ofMillis(10));
    }
    assertThat(interrupted.get()).isEqualTo(2);
  }

  @Test
  void exceptNamesTheOtherHostsAndUnknownNamesAreRefused() {
    CountDownLatch open = new CountDownLatch(0);
    Chassis c = Chassis.of(blade("a", open), blade("b", open), blade("c", open));
    assertThat(c.except(HostName.of("b")).names()).containsExactly(HostName.of("a"), HostName.of("c"));
    assertThatThrownBy(() -> c.host("z")).isInstanceOf(NotFoundException.class).hasMessageContaining("'z'");
    assertThatThrownBy(() -> c.except(HostName.of("z"))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void duplicateHostNamesAndBadArgumentsAreRefused() {
    CountDownLatch open = new CountDownLatch(0);
    Host a = blade("a", open);
    assertThatThrownBy(() -> Chassis.of(a, blade("a", open)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    assertThatThrownBy(() -> Chassis.of(a).withParallelism(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Chassis.of(a).onEach(Duration.ZERO, kernel())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closeClosesEveryHostAndReportsAllFailures() {
    AtomicInteger closed = new AtomicInteger();
    SimulatedRunner r = new SimulatedRunner("x");
    Host good = Host.of(HostName.of("good"), Host.Kind.SIMULATED, r, dir, null, closed::incrementAndGet);
    Host bad1 = Host.of(HostName.of("bad1"), Host.Kind.SIMULATED, r, dir, null, () -> {
      throw new IllegalStateException("bad1 will not close");
    });
    Host bad2 = Host.of(HostName.of("bad2"), Host.Kind.SIMULATED, r, dir, null, () -> {
      throw new IllegalStateException("bad2 will not close");
    });
    assertThatThrownBy(Chassis.of(bad1, good, bad2)::close)
        .isInstanceOf(MidplaneException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    assertThat(closed.get()).isEqualTo(1);
  }
}
