package dev.midplane.core.plan;

import dev.midplane.core.MidplaneException;

/**
 * A plan stopped at a failing step. The {@link #report()} says which step failed and why, and what
 * the rollback did for each step applied before it.
 */
public class PlanFailedException extends MidplaneException {
  private static final long serialVersionUID = 1L;
  private final transient PlanReport report;

  public PlanFailedException(PlanReport report) {
    super(message(report), report.failure().orElse(null));
    this.report = report;
  }

  private static String message(PlanReport r) {
    String failed = r.steps().stream()
        .filter(s -> s.status() == StepOutcome.Status.FAILED)
        .map(s -> "step " + (s.index() + 1) + " (" + s.description() + ") failed: " + s.detail())
        .findFirst().orElse("failed");
    String rollback = r.rolledBackCleanly() ? "rolled back" : "NOT fully rolled back";
    return "plan '" + r.title() + "' " + failed + "; " + rollback + "\n" + r;
  }

  public PlanReport report() {
    return report;
  }
}
