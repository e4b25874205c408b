package dev.midplane.multipath.dm;

import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/**
 * The status of a {@code multipath} target ({@code dmsetup status}), kernel syntax:
 * {@code 2 0 1 0 2 1 A 0 1 2 8:16 A 0 0 1 E 0 1 2 8:0 A 0 0 1} — two feature counters (I/O being
 * queued, path-group initialisations), no hardware-handler status, 2 groups, group 1 next, then per
 * group its state and paths with their state and failure count.
 */
@Value.Immutable
public abstract class MultipathStatus {
  /** How the kernel marks a group: {@code A}ctive, {@code E}nabled, {@code D}isabled (bypassed). */
  public enum GroupState {
    ACTIVE('A'),
    ENABLED('E'),
    DISABLED('D');

    private final char code;

    GroupState(char code) {
      this.code = code;
    }

    public char code() {
      return code;
    }

    static Optional<GroupState> of(String s) {
      for (GroupState g : values()) {
        if (s.length() == 1 && s.charAt(0) == g.code) {
          return Optional.of(g);
        }
      }
      return Optional.empty();
    }
  }

  /** A path's status: active or failed, how often it failed, and the selector's per-path status. */
  public record Path(DevNumber device, boolean active, long failCount, List<String> selectorInfo) {
    public Path {
      selectorInfo = List.copyOf(selectorInfo);
    }
  }

  /** A group's status. */
  public record Group(GroupState state, List<String> selectorStatus, List<Path> paths) {
    public Group {
      selectorStatus = List.copyOf(selectorStatus);
      paths = List.copyOf(paths);
    }
  }

  /** The feature counters as printed: {@code [queue_io, pg_init_count]} on current kernels. */
  public abstract List<Long> featureCounters();

  /** Hardware handler status words (current kernels print none). */
  public abstract List<String> hardwareHandlerStatus();

  /** The 1-based group the kernel will use next (0 when there is none). */
  public abstract int nextGroup();

  public abstract List<Group> groups();

  /** Whether I/O is being queued because no path is usable (first counter, current kernels). */
  public Optional<Boolean> queueingIo() {
    return featureCounters().size() == 2 ? Optional.of(featureCounters().get(0) != 0) : Optional.empty();
  }

  /** Every path, in table order. */
  public List<Path> paths() {
    return groups().stream().flatMap(g -> g.paths().stream()).toList();
  }

  /** The paths the kernel can use. */
  public List<Path> activePaths() {
    return paths().stream().filter(Path::active).toList();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MultipathStatus}. */
  public static final class Builder extends ImmutableMultipathStatus.Builder {}
}
