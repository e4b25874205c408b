package dev.midplane.core.exec;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.CommandTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/** Records every command in an {@link AuditTrail}, including those that throw. */
final class AuditingRunner extends Runners.Decorator {
  private final AuditTrail trail;

  AuditingRunner(CommandRunner delegate, AuditTrail trail) {
    super(delegate);
    this.trail = trail;
  }

  @Override
  CommandResult around(Command command, OutputListener listener) {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    try {
      CommandResult r = pass(command, listener);
      trail.record(AuditEntry.builder()
          .started(started)
          .argv(command.argv())
          .outcome(r.isSuccess() ? AuditEntry.Outcome.OK : AuditEntry.Outcome.EXITED_NON_ZERO)
          .exitCode(OptionalInt.of(r.exitCode()))
          .duration(r.duration())
          .detail(r.isSuccess() ? "" : r.stderr().strip().lines().findFirst().orElse(""))
          .build());
      return r;
    } catch (RuntimeException e) {
      trail.record(AuditEntry.builder()
          .started(started)
          .argv(command.argv())
          .outcome(e instanceof CommandTimeoutException ? AuditEntry.Outcome.TIMED_OUT : AuditEntry.Outcome.ERROR)
          .exitCode(e instanceof CommandFailedException cfe ? cfe.exitCode() : OptionalInt.empty())
          .duration(Duration.ofNanos(System.nanoTime() - t0))
          .detail(String.valueOf(e.getMessage()))
          .build());
      throw e;
    }
  }
}
