package dev.midplane.core.exec;

import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decorators over a {@link CommandRunner}. They compose: {@code
 * Runners.logging(Runners.auditing(Runners.withDefaultTimeout(new LocalCommandRunner(), d), trail))}.
 */
public final class Runners {
  private Runners() {}

  /**
   * Logs every command to SLF4J logger {@code dev.midplane.exec}: argv before it runs (DEBUG), then
   * exit code and duration (DEBUG on success, INFO on a non-zero exit, WARN when it throws).
   */
  public static CommandRunner logging(CommandRunner delegate) {
    return logging(delegate, LoggerFactory.getLogger("dev.midplane.exec"));
  }

  public static CommandRunner logging(CommandRunner delegate, Logger log) {
    return new Decorator(delegate) {
      @Override
      CommandResult around(Command command, OutputListener listener) {
        log.debug("run: {}", command);
        long start = System.nanoTime();
        try {
          CommandResult r = pass(command, listener);
          if (r.isSuccess()) {
            log.debug("ok: {} ({} ms)", command, r.duration().toMillis());
          } else {
            log.info("exit {}: {} ({} ms): {}", r.exitCode(), command, r.duration().toMillis(), firstLine(r.stderr()));
          }
          return r;
        } catch (RuntimeException e) {
          log.warn("failed: {} after {} ms: {}", command, (System.nanoTime() - start) / 1_000_000, e.getMessage());
          throw e;
        }
      }
    };
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl) + " …";
  }

  /** Gives every command without a timeout the default one. */
  public static CommandRunner withDefaultTimeout(CommandRunner delegate, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    return new Decorator(delegate) {
      @Override
      CommandResult around(Command command, OutputListener listener) {
        return pass(command.timeout().isPresent() ? command : command.withTimeout(timeout), listener);
      }
    };
  }

  /**
   * A decorator that keeps streaming: both {@code run} methods go through {@link #around}, which
   * calls {@link #pass} to reach the delegate with the listener (or without, when there is none).
   */
  abstract static class Decorator implements CommandRunner {
    private final CommandRunner delegate;

    Decorator(CommandRunner delegate) {
      this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    abstract CommandResult around(Command command, OutputListener listener);

    final CommandResult pass(Command command, OutputListener listener) {
      return listener == null ? delegate.run(command) : delegate.run(command, listener);
    }

    @Override
    public final CommandResult run(Command command) {
      return around(command, null);
    }

    @Override
    public final CommandResult run(Command command, OutputListener listener) {
      return around(command, java.util.Objects.requireNonNull(listener, "listener"));
    }
  }

  /** Records every command, its outcome and duration in {@code trail}. */
  public static CommandRunner auditing(CommandRunner delegate, AuditTrail trail) {
    return new AuditingRunner(delegate, trail);
  }

  /**
   * A dry run: records every command and answers with exit 0 and no output, without running
   * anything. See {@link DryRunRunner} for read-through of harmless commands.
   */
  public static DryRunRunner dryRun() {
    return DryRunRunner.recordingOnly();
  }

  /** A dry run that really runs the commands {@code readOnly} accepts on {@code delegate}. */
  public static DryRunRunner dryRun(CommandRunner delegate, Predicate<Command> readOnly) {
    return DryRunRunner.readingThrough(delegate, readOnly);
  }
}
