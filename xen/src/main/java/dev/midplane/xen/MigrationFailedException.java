package dev.midplane.xen;

import java.util.List;
import java.util.OptionalInt;

/**
 * A live migration did not complete. {@link #lastStage()} is the furthest stage the toolstack
 * reported, which says where the domain is: before {@link MigrationEvent.Stage#STARTING} the
 * source still runs it (xl resumes it after a failure); from {@code STARTING} on it is suspended at
 * the source and may be starting at the target — check both hosts before acting.
 */
public class MigrationFailedException extends ToolstackException {
  private static final long serialVersionUID = 1L;
  private final MigrationEvent.Stage lastStage;
  private final List<MigrationEvent> events;

  public MigrationFailedException(String host, List<String> argv, OptionalInt exitCode, String stderr, String operation,
      List<String> errorLines, String hint, MigrationEvent.Stage lastStage, List<MigrationEvent> events, Throwable cause) {
    super(host, argv, exitCode, stderr, operation + ", last stage " + lastStage, errorLines, hint, cause);
    this.lastStage = lastStage;
    this.events = List.copyOf(events);
  }

  /** The furthest stage reached ({@link MigrationEvent.Stage#OTHER} if none was reported). */
  public MigrationEvent.Stage lastStage() {
    return lastStage;
  }

  /** Every line the migration printed, understood, in order. */
  public List<MigrationEvent> events() {
    return events;
  }
}
