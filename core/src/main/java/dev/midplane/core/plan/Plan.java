package dev.midplane.core.plan;

import dev.midplane.core.exec.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A multi-step change that can be shown before it is made ({@link #dryRun()}), applied in order
 * with each step verified against the live state ({@link #apply()}), and rolled back: on the first
 * failure the steps already applied are undone in reverse order, and the
 * {@link PlanFailedException}'s report says what happened to each.
 *
 * <pre>{@code
 * Plan p = Plan.builder("bond0 on eth0+eth1").step(...).step(...).build();
 * System.out.print(p.dryRun());   // look first
 * p.apply();                      // then do it
 * }</pre>
 */
public final class Plan {
  private static final Logger LOG = LoggerFactory.getLogger(Plan.class);

  /** Hears about each step as a plan runs (progress output, audit). */
  public interface Listener {
    default void stepStarting(int index, Step step) {}

    default void stepFinished(StepOutcome outcome) {}
  }

  private final String title;
  private final List<Step> steps;

  private Plan(String title, List<Step> steps) {
    this.title = title;
    this.steps = List.copyOf(steps);
  }

  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** A plan that changes nothing: the state already matches. */
  public static Plan empty(String title) {
    return new Plan(title, List.of());
  }

  public String title() {
    return title;
  }

  public List<Step> steps() {
    return steps;
  }

  public boolean isEmpty() {
    return steps.isEmpty();
  }

  /** Every command the plan will run, in order. */
  public List<Command> commands() {
    return steps.stream().flatMap(s -> s.commands().stream()).toList();
  }

  /** The plan as a person reads it: numbered steps, each with its shell-quoted commands. */
  public String dryRun() {
    StringBuilder b = new StringBuilder("plan: ").append(title);
    if (steps.isEmpty()) {
      return b.append(" (nothing to do)\n").toString();
    }
    b.append('\n');
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      b.append(String.format("%3d. %s%s%n", i + 1, s.description(), s.undoable() ? "" : "  [cannot be undone]"));
      for (Command c : s.commands()) {
        appendCommand(b, c);
      }
    }
    return b.toString();
  }

  /** How many lines of a command's stdin a dry run shows before it abbreviates. */
  static final int STDIN_LINES_SHOWN = 60;

  /** {@code $ argv}, and for a command fed on stdin (a restore script, a batch) the script as a here-document. */
  private static void appendCommand(StringBuilder b, Command c) {
    if (c.stdin().isEmpty()) {
      b.append("       $ ").append(c).append('\n');
      return;
    }
    String argv = c.toBuilder().stdin(null).build().toString();
    b.append("       $ ").append(argv).append(" <<'EOF'\n");
    List<String> lines = c.stdin().get().lines().toList();
    int shown = Math.min(lines.size(), STDIN_LINES_SHOWN);
    for (int i = 0; i < shown; i++) {
      b.append("       ").append(lines.get(i)).append('\n');
    }
    if (lines.size() > shown) {
      b.append("       … (").append(lines.size() - shown).append(" more lines)\n");
    }
    b.append("       EOF\n");
  }

  /** Applies every step, verifying each; rolls back and throws on the first failure. */
  public PlanReport apply() {
    return apply(new Listener() {});
  }

  public PlanReport apply(Listener listener) {
    Objects.requireNonNull(listener);
    List<StepOutcome> outcomes = new ArrayList<>();
    int appliedCount = 0;
    Throwable failure = null;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      listener.stepStarting(i, step);
      try {
        step.apply();
      } catch (RuntimeException e) {
        failure = e;
        outcomes.add(finish(listener, new StepOutcome(i, step.description(), StepOutcome.Status.FAILED, message(e))));
        break;
      }
      appliedCount = i + 1;
      Verification v;
      try {
        v = step.verify();
      } catch (RuntimeException e) {
        v = Verification.failed("verification threw: " + message(e));
      }
      if (!v.isOk()) {
        failure = new VerificationFailedException(step.description(), v.problem());
        // Applied but wrong: it is rolled back with the others, so record it as failed first.
        outcomes.add(finish(listener, new StepOutcome(i, step.description(), StepOutcome.Status.FAILED,
            "verification: " + v.problem())));
        break;
      }
      outcomes.add(finish(listener, new StepOutcome(i, step.description(), StepOutcome.Status.APPLIED, "")));
    }
    if (failure == null) {
      return new PlanReport(title, outcomes, Optional.empty());
    }
    for (int i = outcomes.size(); i < steps.size(); i++) {
      outcomes.add(new StepOutcome(i, steps.get(i).description(), StepOutcome.Status.NOT_RUN, ""));
    }
    for (int i = appliedCount - 1; i >= 0; i--) {
      Step step = steps.get(i);
      StepOutcome before = outcomes.get(i);
      String prefix = before.status() == StepOutcome.Status.FAILED ? before.detail() + "; " : "";
      StepOutcome.Status status;
      String detail;
      if (!step.undoable()) {
        status = StepOutcome.Status.NOT_UNDOABLE;
        detail = prefix + "cannot be undone";
      } else {
        try {
          step.undo();
          status = StepOutcome.Status.UNDONE;
          detail = prefix.isEmpty() ? "" : prefix + "undone";
        } catch (RuntimeException e) {
          LOG.error("rollback of '{}' step {} failed", title, i + 1, e);
          status = StepOutcome.Status.UNDO_FAILED;
          detail = prefix + "undo failed: " + message(e);
        }
      }
      // The step that failed verification keeps FAILED as its headline; its detail tells the undo.
      StepOutcome after = before.status() == StepOutcome.Status.FAILED && status == StepOutcome.Status.UNDONE
          ? new StepOutcome(i, step.description(), StepOutcome.Status.FAILED, detail)
          : new StepOutcome(i, step.description(), status, detail);
      outcomes.set(i, after);
      listener.stepFinished(after);
    }
    throw new PlanFailedException(new PlanReport(title, outcomes, Optional.of(failure)));
  }

  /**
   * Checks every step against the live state without changing anything (drift detection after a
   * plan was applied). Returns the problems found, empty when all is as planned.
   */
  public List<String> verify() {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      Verification v;
      try {
        v = steps.get(i).verify();
      } catch (RuntimeException e) {
        v = Verification.failed("verification threw: " + message(e));
      }
      if (!v.isOk()) {
        problems.add((i + 1) + ". " + steps.get(i).description() + ": " + v.problem());
      }
    }
    return problems;
  }

  private static StepOutcome finish(Listener l, StepOutcome o) {
    l.stepFinished(o);
    return o;
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }

  @Override
  public String toString() {
    return dryRun();
  }

  /** Collects steps in order. */
  public static final class Builder {
    private final String title;
    private final List<Step> steps = new ArrayList<>();

    private Builder(String title) {
      this.title = Objects.requireNonNull(title, "title");
    }

    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    public Builder steps(List<? extends Step> more) {
      more.forEach(this::step);
      return this;
    }

    /** Appends every step of {@code other}. */
    public Builder then(Plan other) {
      return steps(other.steps);
    }

    public Plan build() {
      return new Plan(title, steps);
    }
  }
}
