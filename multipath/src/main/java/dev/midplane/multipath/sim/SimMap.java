package dev.midplane.multipath.sim;

import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.dm.MultipathTable;
import dev.midplane.multipath.topology.CheckerState;
import dev.midplane.multipath.topology.DisplayedSize;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.multipath.topology.PathGroupState;
import dev.midplane.multipath.topology.PathState;
import dev.midplane.multipath.topology.WriteProtect;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A multipath map of the simulation: the device-mapper table multipath builds for a LUN's paths,
 * the multipath target's status as the kernel prints it, and the topology multipath-tools print —
 * all from the table in the simulated device-mapper, the paths as they are now, and what the
 * kernel target and multipathd remember about the map ({@link State}).
 */
final class SimMap {
  private SimMap() {}

  /** What the kernel target and multipathd know about a map beyond its table. */
  static final class State {
    /** A path group was initialised (multipathd ran, or I/O was sent): one group is active. */
    boolean activated;
    final Map<DevNumber, Flags> paths = new HashMap<>();

    Flags flags(DevNumber d) {
      return paths.computeIfAbsent(d, k -> new Flags());
    }

    boolean failed(DevNumber d) {
      Flags f = paths.get(d);
      return f != null && f.failed;
    }
  }

  /** A path's state in the kernel target: failed or not, how often, and whether by hand. */
  static final class Flags {
    boolean failed;
    boolean byHand;
    int failCount;

    void fail(boolean manual) {
      if (!failed) {
        failed = true;
        failCount++;
      }
      byHand |= manual;
    }

    void reinstate() {
      failed = false;
      byHand = false;
    }
  }

  /** The table multipath loads for {@code paths} (already filtered and ordered by address). */
  static MultipathTable table(Policy.Layout layout, List<SimPath> paths) {
    List<List<SimPath>> groups = new ArrayList<>();
    Comparator<SimPath> byPrio = Comparator.comparingInt((SimPath p) -> -p.priority(layout.aluaPrio()));
    switch (layout.grouping()) {
      case "failover" -> paths.stream().sorted(byPrio).forEach(p -> groups.add(List.of(p)));
      case "group_by_prio" -> {
        Map<Integer, List<SimPath>> byPriority = new LinkedHashMap<>();
        paths.stream().sorted(byPrio).forEach(p ->
            byPriority.computeIfAbsent(p.priority(layout.aluaPrio()), k -> new ArrayList<>()).add(p));
        groups.addAll(byPriority.values());
      }
      default -> {
        if (!paths.isEmpty()) {
          groups.add(paths);
        }
      }
    }
    String[] sel = layout.selector().strip().split("\\s+");
    List<String> selectorArgs = sel.length > 2 ? List.of(sel).subList(2, sel.length) : List.of();
    List<String> pathArgs = switch (sel[0]) {
      case "round-robin" -> List.of("1000");
      case "queue-length" -> List.of("1");
      default -> List.of("1", "1");
    };
    MultipathTable.Builder b = MultipathTable.builder().features(countedWords(layout.features()));
    List<String> hw = countedWords(layout.hardwareHandler());
    if (!hw.isEmpty()) {
      b.hardwareHandler(hw.get(0)).hardwareHandlerArgs(hw.subList(1, hw.size()));
    }
    b.initialGroup(groups.isEmpty() ? 0 : 1);
    for (List<SimPath> g : groups) {
      List<MultipathTable.Path> ps = g.stream().map(p -> new MultipathTable.Path(p.number(), pathArgs)).toList();
      b.addGroups(new MultipathTable.Group(sel[0], selectorArgs, pathArgs.size(), ps));
    }
    return b.build();
  }

  /** The words after the count of {@code "1 queue_if_no_path"}; none for {@code "0"}. */
  static List<String> countedWords(String counted) {
    String[] w = counted.strip().split("\\s+");
    return w.length <= 1 ? List.of() : List.of(w).subList(1, w.length);
  }

  static String counted(List<String> words) {
    return words.isEmpty() ? "0" : words.size() + " " + String.join(" ", words);
  }

  /** The table as the simulated device-mapper takes it. */
  static SimulatedDeviceMapper.Table dmTable(long sectors, MultipathTable t) {
    return SimulatedDeviceMapper.Table.of(sectors, "multipath", t.render());
  }

  /** The 1-based group the kernel uses: the first with a path that has not failed (1 when none has). */
  static int activeGroup(MultipathTable t, State s) {
    for (int i = 0; i < t.groups().size(); i++) {
      if (t.groups().get(i).paths().stream().anyMatch(p -> !s.failed(p.device()))) {
        return i + 1;
      }
    }
    return t.groups().isEmpty() ? 0 : 1;
  }

  private static char groupCode(MultipathTable t, State s, int group) {
    return s.activated && group == activeGroup(t, s) ? 'A' : 'E';
  }

  /**
   * The multipath target's status line parameters (without start, length and type), in the
   * kernel's syntax with its trailing space: {@code 2 0 1 0 2 1 A 0 1 2 8:16 A 0 0 1 E 0 1 2 8:0 A 0 0 1 }.
   */
  static String status(MultipathTable t, State s) {
    boolean handler = t.hardwareHandler().isPresent();
    boolean anyUp = t.devices().stream().anyMatch(d -> !s.failed(d));
    int queueIo = !s.activated && handler || t.queueIfNoPath() && !anyUp ? 1 : 0;
    int pgInit = s.activated && handler ? 1 : 0;
    StringBuilder b = new StringBuilder();
    b.append("2 ").append(queueIo).append(' ').append(pgInit).append(" 0 ").append(t.groups().size()).append(' ')
        .append(t.groups().isEmpty() ? 0 : s.activated ? activeGroup(t, s) : 1).append(' ');
    for (int g = 0; g < t.groups().size(); g++) {
      MultipathTable.Group group = t.groups().get(g);
      List<String> info = switch (group.selector()) {
        case "service-time" -> List.of("0", "1");
        case "queue-length" -> List.of("0");
        default -> List.of();
      };
      b.append(groupCode(t, s, g + 1)).append(" 0 ").append(group.paths().size()).append(' ').append(info.size()).append(' ');
      for (MultipathTable.Path p : group.paths()) {
        Flags f = s.paths.get(p.device());
        b.append(p.device()).append(' ').append(f != null && f.failed ? 'F' : 'A').append(' ')
            .append(f == null ? 0 : f.failCount).append(' ');
        info.forEach(w -> b.append(w).append(' '));
      }
    }
    return b.toString();
  }

  /**
   * The map as multipath-tools print it. Paths of the table whose device is gone are left out, and
   * groups left empty with them, each with a message to {@code log} as multipath prints it.
   *
   * @param action {@code create}/{@code reload} for the block multipath prints when it loads a
   *     table (states then print as {@code undef}), empty for a listing
   * @param checkers whether path checkers run ({@code -ll}, multipathd) or not ({@code -l})
   */
  static MapTopology topology(SimulatedDeviceMapper.Device dm, MultipathTable t, State s, Map<DevNumber, SimPath> paths,
      boolean aluaPrio, Optional<String> action, boolean checkers, Consumer<String> log) {
    boolean loading = action.isPresent();
    MapTopology.Builder b = MapTopology.builder().name(MapName.parse(dm.name()))
        .wwid(Wwid.of(dm.uuid().orElseThrow().substring("mpath-".length())))
        .size(DisplayedSize.of(dm.sectors() * 512)).features(counted(t.features()))
        .hardwareHandler(counted(t.hardwareHandler().map(h -> {
          List<String> w = new ArrayList<>(List.of(h));
          w.addAll(t.hardwareHandlerArgs());
          return w;
        }).orElse(List.of())))
        .writeProtect(loading ? WriteProtect.UNDEF : WriteProtect.RW);
    action.ifPresent(b::action);
    if (!loading) {
      b.sysfsName(dm.kernelName().value());
    }
    t.devices().stream().map(paths::get).filter(java.util.Objects::nonNull).findFirst().ifPresent(p -> {
      b.vendor(p.vendor());
      b.product(p.product());
    });
    int number = 0;
    for (int g = 0; g < t.groups().size(); g++) {
      MultipathTable.Group group = t.groups().get(g);
      List<MultipathPath> shown = new ArrayList<>();
      int prioSum = 0;
      int up = 0;
      for (MultipathTable.Path tp : group.paths()) {
        SimPath p = paths.get(tp.device());
        if (p == null) {
          log.accept(dm.name() + ": discarding non-existing path " + tp.device());
          continue;
        }
        CheckerState chk = checkers ? p.checker() : CheckerState.UNDEF;
        if (p.checker().usable()) {
          prioSum += p.priority(aluaPrio);
          up++;
        }
        shown.add(MultipathPath.builder().hctl(p.hctl()).device(p.dev()).deviceNumber(p.number())
            .dmState(loading ? PathState.UNDEF : s.failed(tp.device()) ? PathState.FAILED : PathState.ACTIVE)
            .checkerState(chk).deviceState(p.deviceState()).priority(p.priority(aluaPrio)).checker("tur").build());
      }
      if (shown.isEmpty()) {
        log.accept(dm.name() + ": removing empty pathgroup " + (g + 1));
        continue;
      }
      PathGroupState state = loading ? PathGroupState.UNDEF
          : groupCode(t, s, g + 1) == 'A' ? PathGroupState.ACTIVE : PathGroupState.ENABLED;
      String selector = group.selector() + " " + group.selectorArgs().size()
          + (group.selectorArgs().isEmpty() ? "" : " " + String.join(" ", group.selectorArgs()));
      b.addPathGroups(PathGroup.builder().number(++number).selector(selector).priority(up == 0 ? 0 : prioSum / up)
          .state(state).paths(shown).build());
    }
    return b.build();
  }
}
