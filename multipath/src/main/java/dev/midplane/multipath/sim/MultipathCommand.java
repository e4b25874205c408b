package dev.midplane.multipath.sim;

import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.config.Attribute;
import dev.midplane.multipath.config.ConfigNode;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.config.Section;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The simulated {@code multipath} program: {@code -h}, {@code -ll}/{@code -l} [{@code device}]
 * (with {@code -v1} for names), {@code -t}/{@code -T}, {@code -f device}, {@code -F}, {@code -r},
 * {@code -d}, and {@code [device]} to create or reload maps, as multipath-tools 0.9.4 answers them.
 */
final class MultipathCommand {
  private final SimulatedMultipathTools tools;

  MultipathCommand(SimulatedMultipathTools tools) {
    this.tools = tools;
  }

  private static final String USAGE_TAIL = """
      Usage:
        multipath [-v level] [-B|-d|-i|-q|-r] [-b file] [-p policy] [device]
        multipath [-v level] [-R retries] -f device
        multipath [-v level] [-R retries] -F
        multipath [-v level] [-l|-ll] [device]
        multipath [-v level] [-a|-w] device
        multipath [-v level] -W
        multipath [-v level] [-i] [-c|-C] device
        multipath [-v level] [-i] [-u|-U]
        multipath [-h|-t|-T]
      """;

  Reply run(List<String> args) {
    int verbosity = 2;
    int list = 0;
    boolean flushAll = false;
    boolean reload = false;
    boolean dryRun = false;
    String flush = null;
    String device = null;
    String dump = null;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "-h" -> {
          return new Reply(0, "", usage());
        }
        case "-l" -> list = Math.max(list, 1);
        case "-ll" -> list = 2;
        case "-t", "-T" -> dump = a;
        case "-F" -> flushAll = true;
        case "-r" -> reload = true;
        case "-d" -> dryRun = true;
        case "-f" -> {
          if (i + 1 >= args.size()) {
            return usageError("option requires an argument -- 'f'");
          }
          flush = args.get(++i);
        }
        case "-v" -> {
          if (i + 1 >= args.size() || !args.get(i + 1).matches("\\d")) {
            return usageError("option requires an argument -- 'v'");
          }
          verbosity = Integer.parseInt(args.get(++i));
        }
        default -> {
          if (a.matches("-v\\d")) {
            verbosity = a.charAt(2) - '0';
          } else if (a.startsWith("-")) {
            return usageError("invalid option -- '" + a.substring(1) + "'");
          } else if (device == null) {
            device = a;
          } else {
            return usageError("unexpected argument '" + a + "'");
          }
        }
      }
    }
    if (dump != null) {
      return dump(dump.equals("-t"));
    }
    if (flush != null) {
      Optional<String> refused = tools.flush(flush);
      return refused.map(m -> tools.reply(1, "", List.of(m))).orElseGet(() -> new Reply(0, "", ""));
    }
    if (flushAll) {
      List<String> messages = new ArrayList<>();
      for (SimulatedDeviceMapper.Device d : tools.maps()) {
        tools.flush(d.name()).ifPresent(messages::add);
      }
      return tools.reply(messages.isEmpty() ? 0 : 1, "", messages);
    }
    Optional<Policy> policy = tools.readPolicy();
    if (policy.isEmpty()) {
      return tools.reply(1, "", List.of("error parsing config file"));
    }
    if (list > 0) {
      return list(policy.get(), list == 2, device, verbosity);
    }
    return configure(policy.get(), device, reload, dryRun, verbosity);
  }

  private String usage() {
    ToolsVersion v = tools.version();
    return "multipath-tools v" + v + " (12/19, 2022)\n" + USAGE_TAIL;
  }

  private Reply usageError(String problem) {
    return new Reply(1, "", "multipath: " + problem + "\n" + USAGE_TAIL);
  }

  /** {@code -ll}/{@code -l}: every map, or the one {@code device} names, as listed now. */
  private Reply list(Policy policy, boolean checkers, String device, int verbosity) {
    List<SimPath> paths = tools.paths();
    Map<DevNumber, SimPath> byDev = SimulatedMultipathTools.byDev(paths);
    List<String> messages = new ArrayList<>();
    List<MapTopology> maps = new ArrayList<>();
    for (SimulatedDeviceMapper.Device d : tools.maps()) {
      if (device == null || names(d, device, paths)) {
        maps.add(tools.topology(d, policy, byDev, Optional.empty(), checkers, messages::add));
      }
    }
    if (!tools.daemon() && !tools.maps().isEmpty()) {
      messages.add("Warning: multipath devices exist, but multipathd service is not running");
    }
    if (device != null && maps.isEmpty()) {
      // 0.9 exits 1, printing nothing, when the argument names no map
      return tools.reply(1, "", messages);
    }
    if (verbosity == 0) {
      return tools.reply(0, "", List.of());
    }
    String out;
    if (verbosity == 1) {
      StringBuilder b = new StringBuilder();
      maps.forEach(m -> b.append(m.name()).append('\n'));
      out = b.toString();
    } else {
      out = MultipathListing.format(maps, layout());
    }
    return tools.reply(0, out, messages);
  }

  private MultipathListing.Layout layout() {
    return tools.version().atLeast(ToolsVersion.TREE_LAYOUT) ? MultipathListing.Layout.TREE
        : MultipathListing.Layout.BRACKETS;
  }

  /** Whether {@code arg} names map {@code d}: its name, WWID, a path's device or {@code major:minor}. */
  private static boolean names(SimulatedDeviceMapper.Device d, String arg, List<SimPath> paths) {
    if (d.name().equals(arg) || d.uuid().orElseThrow().equals("mpath-" + arg) || d.kernelName().value().equals(arg)
        || arg.equals("/dev/" + d.kernelName().value()) || arg.equals("/dev/mapper/" + d.name())) {
      return true;
    }
    String dev = arg.startsWith("/dev/") ? arg.substring(5) : arg;
    List<DevNumber> table = SimulatedMultipathTools.tableOf(d).devices();
    return paths.stream().anyMatch(p -> table.contains(p.number())
        && (p.dev().value().equals(dev) || p.number().toString().equals(dev)));
  }

  /**
   * Creates or reloads maps: of every allowed LUN, or of the one {@code device} names (a WWID, a map
   * name or a path). Prints {@code create:}/{@code reload:} blocks at verbosity 2, names at 1.
   */
  private Reply configure(Policy policy, String device, boolean reload, boolean dryRun, int verbosity) {
    List<SimPath> all = tools.paths();
    Map<Wwid, List<SimPath>> byWwid = tools.candidates(policy, all);
    List<Wwid> targets = new ArrayList<>();
    if (device == null) {
      java.util.Set<Wwid> remembered = tools.rememberedWwids();
      byWwid.forEach((w, ps) -> {
        if (tools.mapOf(w).isPresent() || policy.allowsMap(ps.size(), remembered.contains(w))) {
          targets.add(w);
        }
      });
    } else {
      Optional<Wwid> w = resolve(device, all);
      if (w.isEmpty()) {
        return tools.reply(1, "", List.of(device + ": no such map, path or WWID"));
      }
      Optional<SimPath> blacklistedPath = all.stream().filter(p -> p.uid().equals(w)).filter(p -> policy.blacklisted(p).isPresent())
          .findFirst();
      if (!byWwid.containsKey(w.get())) {
        String why = blacklistedPath.flatMap(policy::blacklisted).orElse(w.get() + ": no usable paths");
        return tools.reply(1, "", List.of(why));
      }
      targets.add(w.get());
    }
    if (dryRun) {
      return new Reply(0, "", "");
    }
    StringBuilder out = new StringBuilder();
    List<String> messages = new ArrayList<>();
    boolean failed = false;
    for (Wwid w : targets) {
      SimulatedMultipathTools.Ensured e = tools.ensureMap(policy, w, all, SimulatedMultipathTools.Rebuild.TO_PATHS);
      messages.addAll(e.messages());
      failed |= e.outcome() == SimulatedMultipathTools.Outcome.REFUSED;
      e.loaded().ifPresent(m -> {
        if (verbosity == 1) {
          out.append(m.name()).append('\n');
        } else if (verbosity >= 2) {
          out.append(MultipathListing.format(List.of(m), layout()));
        }
      });
    }
    if (!tools.daemon() && !tools.maps().isEmpty()) {
      messages.add("Warning: multipath devices exist, but multipathd service is not running");
    }
    return tools.reply(failed ? 1 : 0, out.toString(), messages);
  }

  private Optional<Wwid> resolve(String arg, List<SimPath> paths) {
    Optional<SimulatedDeviceMapper.Device> map = tools.maps().stream().filter(d -> names(d, arg, paths)).findFirst();
    if (map.isPresent()) {
      return Optional.of(SimulatedMultipathTools.wwidOf(map.get()));
    }
    String dev = arg.startsWith("/dev/") ? arg.substring(5) : arg;
    Optional<SimPath> path = paths.stream().filter(p -> p.dev().value().equals(dev) || p.number().toString().equals(dev))
        .findFirst();
    if (path.isPresent()) {
      return path.get().uid();
    }
    return Wwid.isValid(arg) ? Optional.of(Wwid.of(arg)) : Optional.empty();
  }

  /** {@code -T}: the file as multipath reads it; {@code -t}: with the built-in defaults it uses. */
  private Reply dump(boolean withBuiltIns) {
    Optional<Policy> policy = tools.readPolicy();
    if (policy.isEmpty()) {
      return tools.reply(1, "", List.of("error parsing config file"));
    }
    MultipathConfig c = policy.get().config();
    if (withBuiltIns) {
      Section defaults = c.mergedSection("defaults");
      Map<String, String> builtIn = new TreeMap<>(Policy.BUILT_IN);
      for (Map.Entry<String, String> e : builtIn.entrySet()) {
        if (defaults.value(e.getKey()).isEmpty()) {
          defaults = defaults.with(Attribute.of(e.getKey(), e.getValue()));
        }
      }
      c = c.withSection(defaults);
      Section blacklist = c.mergedSection("blacklist");
      List<ConfigNode> children = new ArrayList<>();
      children.add(Attribute.of("devnode", Policy.BUILT_IN_DEVNODE_BLACKLIST));
      children.addAll(blacklist.children());
      c = c.withSection(blacklist.withChildren(children));
    }
    return new Reply(0, c.write(), "");
  }
}
