package dev.midplane.core.plan;

/** What happened to one step when a plan was applied. */
public record StepOutcome(int index, String description, Status status, String detail) {
  /** The fate of a step. */
  public enum Status {
    /** Applied and verified. */
    APPLIED,
    /** Its apply threw or its verification failed: the plan stopped here. */
    FAILED,
    /** Applied, then taken back during rollback. */
    UNDONE,
    /** Applied; taking it back failed, so the host is between states: see detail. */
    UNDO_FAILED,
    /** Applied and cannot be undone. */
    NOT_UNDOABLE,
    /** Never reached. */
    NOT_RUN
  }

  @Override
  public String toString() {
    return (index + 1) + ". " + description + ": " + status.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + (detail.isEmpty() ? "" : " (" + detail + ")");
  }
}
