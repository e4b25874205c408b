package dev.midplane.lab;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waits for a condition by looking again after each tick, up to a deadline: the real kernel acts
 * on its own time (the tick sleeps), the simulated one when its clock is advanced (the tick
 * advances it). Never a fixed sleep standing in for a condition.
 */
final class Poll {
  private Poll() {}

  /** Sleeps between looks. */
  static final Runnable REAL_TIME = () -> {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  };

  /**
   * The first value of {@code look} that satisfies {@code done}, looked at again after each
   * {@code tick}.
   *
   * @throws AssertionError with {@code what} and the last value seen when {@code deadline} passes
   *     on the wall clock, or after as many 100 ms ticks (a simulated clock)
   */
  static <T> T until(String what, Duration deadline, Runnable tick, Supplier<T> look, Predicate<T> done) {
    long ticks = deadline.toMillis() / 100;
    long end = System.nanoTime() + deadline.toNanos();
    T last = look.get();
    for (long i = 0; !done.test(last); i++) {
      if (i >= ticks || System.nanoTime() > end) {
        throw new AssertionError("waited " + deadline + " for " + what + "; last seen: " + last);
      }
      tick.run();
      last = look.get();
    }
    return last;
  }
}
