package dev.midplane.multipath.dm;

import dev.midplane.sysfs.DevNumber;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.immutables.value.Value;

/**
 * The parameters of a {@code multipath} device-mapper target, as {@code dmsetup table} prints
 * them and {@code dmsetup reload --table} takes them:
 *
 * <pre>
 * 0 1 alua 2 1 service-time 0 1 2 8:16 1 1 service-time 0 1 2 8:0 1 1
 * │ └──┬─┘ │ │ └─────────────┬─────────────┘ └────────────┬────────────┘
 * │    │   │ │     group 1: selector, 0 args,    group 2
 * │    │   │ │     1 path with 2 args: 8:16 1 1
 * │    │   │ initial group
 * │    │   number of groups
 * │    hardware handler (1 word: alua)
 * features (0 words)
 * </pre>
 */
@Value.Immutable
public abstract class MultipathTable {
  /** A path of a group: its device and the selector's per-path arguments. */
  public record Path(DevNumber device, List<String> args) {
    public Path {
      args = List.copyOf(args);
    }
  }

  /** A priority group: the path selector, its arguments, and the paths. */
  public record Group(String selector, List<String> selectorArgs, int pathArgCount, List<Path> paths) {
    public Group {
      selectorArgs = List.copyOf(selectorArgs);
      paths = List.copyOf(paths);
      for (Path p : paths) {
        if (p.args().size() != pathArgCount) {
          throw new IllegalArgumentException("path " + p.device() + " has " + p.args().size()
              + " arguments, the group announces " + pathArgCount);
        }
      }
    }
  }

  /** The feature words ({@code queue_if_no_path}, {@code pg_init_retries 50}). */
  public abstract List<String> features();

  /** The hardware handler's name ({@code alua}, {@code rdac}), if any. */
  public abstract Optional<String> hardwareHandler();

  /** The hardware handler's arguments after its name. */
  public abstract List<String> hardwareHandlerArgs();

  /** The 1-based group to start with (0: the kernel chooses). */
  public abstract int initialGroup();

  public abstract List<Group> groups();

  @Value.Check
  void check() {
    if (hardwareHandler().isEmpty() && !hardwareHandlerArgs().isEmpty()) {
      throw new IllegalStateException("hardware handler arguments without a handler");
    }
    if (initialGroup() < 0 || initialGroup() > groups().size()) {
      throw new IllegalStateException("initial group " + initialGroup() + " of " + groups().size());
    }
  }

  /** Every path device, in table order. */
  public List<DevNumber> devices() {
    return groups().stream().flatMap(g -> g.paths().stream()).map(Path::device).toList();
  }

  /** True when I/O is queued while no path is usable. */
  public boolean queueIfNoPath() {
    return features().contains("queue_if_no_path");
  }

  /** The parameters in the kernel's syntax, without a trailing space. */
  public String render() {
    StringBuilder b = new StringBuilder(64 + groups().size() * 48);
    b.append(features().size());
    features().forEach(f -> b.append(' ').append(f));
    List<String> hw = hardwareHandler().map(h -> Stream.concat(Stream.of(h), hardwareHandlerArgs().stream()).toList())
        .orElse(List.of());
    b.append(' ').append(hw.size());
    hw.forEach(w -> b.append(' ').append(w));
    b.append(' ').append(groups().size()).append(' ').append(initialGroup());
    for (Group g : groups()) {
      b.append(' ').append(g.selector()).append(' ').append(g.selectorArgs().size());
      g.selectorArgs().forEach(a -> b.append(' ').append(a));
      b.append(' ').append(g.paths().size()).append(' ').append(g.pathArgCount());
      for (Path p : g.paths()) {
        b.append(' ').append(p.device());
        p.args().forEach(a -> b.append(' ').append(a));
      }
    }
    return b.toString();
  }

  /** Parses multipath target parameters (what follows {@code multipath} in a table line). */
  public static MultipathTable parse(String params) {
    return DmsetupOutput.multipathTable(params, "multipath table", 0, params);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MultipathTable}. */
  public static final class Builder extends ImmutableMultipathTable.Builder {}
}
