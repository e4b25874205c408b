package dev.midplane.core.exec;

import dev.midplane.core.MidplaneStyle;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** One line of an {@link AuditTrail}: what ran, when, how it ended. */
@Value.Immutable
@MidplaneStyle
public abstract class AuditEntry {
  /** How a command ended. */
  public enum Outcome {
    /** Exit code 0. */
    OK,
    /** Ran and exited non-zero. */
    EXITED_NON_ZERO,
    /** Killed after its timeout. */
    TIMED_OUT,
    /** Could not be started or was interrupted. */
    ERROR
  }

  public abstract Instant started();

  public abstract List<String> argv();

  public abstract Outcome outcome();

  public abstract OptionalInt exitCode();

  public abstract Duration duration();

  /** The first line of stderr, or the exception message. */
  @Value.Default
  public String detail() {
    return "";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The Immutables builder, visible under this name. */
  public static final class Builder extends ImmutableAuditEntry.Builder {}

  @Override
  public String toString() {
    return started() + " " + outcome() + (exitCode().isPresent() ? "(" + exitCode().getAsInt() + ")" : "")
        + " " + duration().toMillis() + "ms " + ShellQuoting.join(argv())
        + (detail().isEmpty() ? "" : " # " + detail());
  }
}
