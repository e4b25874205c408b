package dev.midplane.core.exec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Where an auditing runner records what ran. Implementations must be thread-safe. */
@FunctionalInterface
public interface AuditTrail {
  void record(AuditEntry entry);

  /** Keeps the last {@code capacity} entries in memory. */
  static InMemory inMemory(int capacity) {
    return new InMemory(capacity);
  }

  /** A bounded in-memory trail. */
  final class InMemory implements AuditTrail {
    private final int capacity;
    private final Deque<AuditEntry> entries = new ArrayDeque<>();

    private InMemory(int capacity) {
      if (capacity <= 0) {
        throw new IllegalArgumentException("capacity must be positive");
      }
      this.capacity = capacity;
    }

    @Override
    public synchronized void record(AuditEntry entry) {
      if (entries.size() == capacity) {
        entries.removeFirst();
      }
      entries.addLast(entry);
    }

    /** Oldest first. */
    public synchronized List<AuditEntry> entries() {
      return List.copyOf(entries);
    }
  }
}
