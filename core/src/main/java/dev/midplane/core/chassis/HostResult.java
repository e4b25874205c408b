package dev.midplane.core.chassis;

import dev.midplane.core.MidplaneException;
import dev.midplane.core.names.HostName;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One host's part of a chassis operation: its value, or what went wrong, and how long it took.
 * Immutable.
 *
 * <ul>
 *   <li>{@link Outcome#SUCCEEDED}: the task returned; {@link #value()} holds what it returned
 *       (empty when it returned {@code null});
 *   <li>{@link Outcome#FAILED}: the task threw; {@link #error()} holds the exception as thrown;
 *   <li>{@link Outcome#TIMED_OUT}: the task outlived its timeout and was interrupted;
 *       {@link #error()} holds a {@link HostTimeoutException}.
 * </ul>
 *
 * @param <T> the task's value type
 */
public final class HostResult<T> {
  /** How a host's task ended. */
  public enum Outcome {
    SUCCEEDED,
    FAILED,
    TIMED_OUT
  }

  private final HostName host;
  private final Outcome outcome;
  private final T value;
  private final Throwable error;
  private final Duration duration;

  private HostResult(HostName host, Outcome outcome, T value, Throwable error, Duration duration) {
    this.host = Objects.requireNonNull(host, "host");
    this.outcome = Objects.requireNonNull(outcome, "outcome");
    this.value = value;
    this.error = error;
    this.duration = Objects.requireNonNull(duration, "duration");
  }

  /** A task that returned {@code value} (may be {@code null}). */
  public static <T> HostResult<T> succeeded(HostName host, T value, Duration duration) {
    return new HostResult<>(host, Outcome.SUCCEEDED, value, null, duration);
  }

  /** A task that threw {@code error}. */
  public static <T> HostResult<T> failed(HostName host, Throwable error, Duration duration) {
    return new HostResult<>(host, Outcome.FAILED, null, Objects.requireNonNull(error, "error"), duration);
  }

  /** A task that outlived {@code timeout}. */
  public static <T> HostResult<T> timedOut(HostName host, Duration timeout, Duration duration) {
    return new HostResult<>(host, Outcome.TIMED_OUT, null, new HostTimeoutException(host, timeout), duration);
  }

  public HostName host() {
    return host;
  }

  public Outcome outcome() {
    return outcome;
  }

  public boolean succeeded() {
    return outcome == Outcome.SUCCEEDED;
  }

  /** The task's value; empty when it failed, timed out, or returned {@code null}. */
  public Optional<T> value() {
    return Optional.ofNullable(value);
  }

  /** The failure; empty exactly when the task succeeded. */
  public Optional<Throwable> error() {
    return Optional.ofNullable(error);
  }

  /**
   * The value of a successful task (possibly {@code null}); otherwise throws a
   * {@link MidplaneException} naming the host, with the failure as its cause.
   */
  public T get() {
    if (succeeded()) {
      return value;
    }
    if (error instanceof HostTimeoutException t) {
      throw t;
    }
    throw new MidplaneException("host " + host + " failed: " + error, error);
  }

  /**
   * Time from the task's start on its thread to its end, or to the timeout. Time spent waiting
   * for a free slot (bounded parallelism) is not counted.
   */
  public Duration duration() {
    return duration;
  }

  @Override
  public String toString() {
    String what = switch (outcome) {
      case SUCCEEDED -> "ok" + (value == null ? "" : ": " + value);
      case FAILED -> "failed: " + error;
      case TIMED_OUT -> "timed out: " + error.getMessage();
    };
    return host + " (" + duration.toMillis() + " ms) " + what;
  }
}
