package dev.midplane.xen;

/**
 * Hears a migration's progress as the toolstack prints it. Called from the thread that reads the
 * toolstack's output, one event at a time, in arrival order (stdout and stderr interleaved as they
 * arrive). It must return promptly; an exception it throws is logged and does not stop the
 * migration (stopping a migration half-way is what must never happen by accident).
 */
@FunctionalInterface
public interface MigrationListener {
  void onEvent(MigrationEvent event);
}
