package dev.midplane.core.plan;

import java.util.List;
import java.util.Optional;

/** The account of one {@link Plan#apply()}: each step's fate and, on failure, the cause. */
public record PlanReport(String title, List<StepOutcome> steps, Optional<Throwable> failure) {
  public PlanReport {
    steps = List.copyOf(steps);
  }

  public boolean succeeded() {
    return failure.isEmpty();
  }

  /** True when the plan failed and every applied step was taken back. */
  public boolean rolledBackCleanly() {
    return failure.isPresent()
        && steps.stream().noneMatch(s -> s.status() == StepOutcome.Status.UNDO_FAILED
            || s.status() == StepOutcome.Status.NOT_UNDOABLE || s.status() == StepOutcome.Status.APPLIED);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(title).append(succeeded() ? ": done" : ": FAILED").append('\n');
    steps.forEach(s -> b.append("  ").append(s).append('\n'));
    return b.toString();
  }
}
