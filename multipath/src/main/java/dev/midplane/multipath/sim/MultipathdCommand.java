package dev.midplane.multipath.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.midplane.core.exec.Reply;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.backend.ToolsVersion;
import dev.midplane.multipath.dm.MultipathTable;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.multipath.topology.PathGroup;
import dev.midplane.sysfs.DevNumber;
import dev.midplane.sysfs.sim.SimulatedDeviceMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated {@code multipathd} client: {@code show daemon}, {@code show maps [json]},
 * {@code show paths}, {@code show topology}, {@code reconfigure}, {@code add map},
 * {@code del map}, {@code resize map}, {@code del path}, {@code fail path},
 * {@code reinstate path}, {@code shutdown}. Replies as multipathd 0.9.4 does: {@code ok} or
 * {@code fail} (exit 1), tables and JSON; nothing at all, exit 1, when the daemon is not running.
 */
final class MultipathdCommand {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Reply OK = new Reply(0, "ok\n", "");
  private static final Reply FAIL = new Reply(1, "fail\n", "");

  private final SimulatedMultipathTools tools;

  MultipathdCommand(SimulatedMultipathTools tools) {
    this.tools = tools;
  }

  Reply run(List<String> args) {
    if (!tools.version().atLeast(ToolsVersion.TREE_LAYOUT)) {
      return new Reply(1, "", "multipathd: invalid option -- '" + String.join(" ", args) + "' (use -k\"command\")\n");
    }
    if (!tools.daemon()) {
      return new Reply(1, "", "");
    }
    String cmd = String.join(" ", args);
    String arg = args.isEmpty() ? "" : args.get(args.size() - 1);
    if (cmd.equals("show daemon")) {
      return new Reply(0, "pid " + tools.daemonPid() + " running\n", "");
    }
    if (cmd.equals("show maps json")) {
      return new Reply(0, json(), "");
    }
    if (cmd.equals("show maps")) {
      return new Reply(0, mapsTable(), "");
    }
    if (cmd.equals("show paths")) {
      return new Reply(0, pathsTable(), "");
    }
    if (cmd.equals("show topology")) {
      return new Reply(0, MultipathListing.format(topologies(), MultipathListing.Layout.TREE), "");
    }
    if (cmd.equals("reconfigure")) {
      Optional<Policy> p = tools.readPolicy();
      if (p.isEmpty()) {
        return FAIL;
      }
      tools.setDaemonPolicy(p.get());
      tools.configureAll(p.get(), line -> {});
      return OK;
    }
    if (cmd.equals("shutdown")) {
      tools.shutdownDaemon();
      return OK;
    }
    if (args.size() == 3 && (cmd.startsWith("add map ") || cmd.startsWith("del map ") || cmd.startsWith("resize map "))) {
      return switch (args.get(0)) {
        case "add" -> addMap(arg);
        case "del" -> tools.flush(name(arg)).isPresent() ? FAIL : OK;
        default -> resize(name(arg));
      };
    }
    if (args.size() == 3 && args.get(1).equals("path")) {
      return path(args.get(0), arg);
    }
    return new Reply(1, "", "multipathd: unknown command '" + cmd + "'\n");
  }

  /** A map by name, or by WWID when no map has that name. */
  private String name(String arg) {
    if (tools.device(arg).isPresent() || !Wwid.isValid(arg)) {
      return arg;
    }
    return tools.mapOf(Wwid.of(arg)).map(SimulatedDeviceMapper.Device::name).orElse(arg);
  }

  private Reply addMap(String arg) {
    Optional<Wwid> wwid = tools.device(arg).filter(d -> d.uuid().filter(u -> u.startsWith("mpath-")).isPresent())
        .map(SimulatedMultipathTools::wwidOf).or(() -> Wwid.isValid(arg) ? Optional.of(Wwid.of(arg)) : Optional.empty());
    if (wwid.isEmpty()) {
      return FAIL;
    }
    SimulatedMultipathTools.Ensured e = tools.ensureMap(tools.daemonPolicy(), wwid.get(), tools.paths(),
        SimulatedMultipathTools.Rebuild.KEEP_SIZE);
    boolean ok = e.outcome() == SimulatedMultipathTools.Outcome.CREATED || e.outcome() == SimulatedMultipathTools.Outcome.RELOADED
        || e.outcome() == SimulatedMultipathTools.Outcome.UNCHANGED;
    // 0.9.4 looks the map up by the argument after making it: a WWID does not find a map named by
    // its alias, so the daemon makes the map and replies fail (the lab's guest does so)
    boolean foundByArgument = tools.device(arg).isPresent();
    return ok && foundByArgument ? OK : FAIL;
  }

  /**
   * {@code resize map}: the map takes its paths' size, which must be the same on every path that
   * is up; a map without paths, or whose paths disagree, is not resized.
   */
  private Reply resize(String name) {
    Optional<SimulatedDeviceMapper.Device> d = tools.device(name).filter(x -> x.uuid().filter(u -> u.startsWith("mpath-")).isPresent());
    if (d.isEmpty()) {
      return tools.reply(1, "fail\n", List.of("invalid map name. cannot resize " + name));
    }
    MultipathTable t = SimulatedMultipathTools.tableOf(d.get());
    Map<DevNumber, SimPath> byDev = SimulatedMultipathTools.byDev(tools.paths());
    List<Long> sizes = t.devices().stream().map(byDev::get).filter(p -> p != null && p.checker().usable())
        .map(SimPath::sizeBytes).distinct().toList();
    if (sizes.size() != 1) {
      return tools.reply(1, "fail\n", List.of(name + ": " + (sizes.isEmpty() ? "no usable path to read the size from"
          : "paths have different sizes " + sizes) + ". cannot resize"));
    }
    long sectors = sizes.get(0) / 512;
    if (sectors != d.get().sectors()) {
      tools.load(d.get(), sectors, t);
    }
    return OK;
  }

  private Reply path(String verb, String dev) {
    Optional<SimPath> p = tools.paths().stream().filter(x -> x.dev().value().equals(dev)).findFirst();
    if (p.isEmpty()) {
      return FAIL;
    }
    DevNumber n = p.get().number();
    for (SimulatedDeviceMapper.Device d : tools.maps()) {
      MultipathTable t = SimulatedMultipathTools.tableOf(d);
      if (!t.devices().contains(n)) {
        continue;
      }
      SimMap.State s = tools.state(d);
      switch (verb) {
        case "fail" -> s.flags(n).fail(true);
        case "reinstate" -> {
          if (!p.get().checker().usable()) {
            return FAIL;
          }
          s.flags(n).reinstate();
        }
        case "del" -> {
          List<MultipathTable.Group> groups = new ArrayList<>();
          for (MultipathTable.Group g : t.groups()) {
            List<MultipathTable.Path> left = g.paths().stream().filter(x -> !x.device().equals(n)).toList();
            if (!left.isEmpty()) {
              groups.add(new MultipathTable.Group(g.selector(), g.selectorArgs(), g.pathArgCount(), left));
            }
          }
          tools.load(d, d.sectors(), MultipathTable.builder().from(t).groups(groups).initialGroup(groups.isEmpty() ? 0 : 1).build());
        }
        default -> {
          return new Reply(1, "", "multipathd: unknown command '" + verb + " path " + dev + "'\n");
        }
      }
      return OK;
    }
    return verb.equals("del") ? OK : FAIL;
  }

  private List<MapTopology> topologies() {
    Map<DevNumber, SimPath> byDev = SimulatedMultipathTools.byDev(tools.paths());
    List<MapTopology> out = new ArrayList<>();
    for (SimulatedDeviceMapper.Device d : tools.maps()) {
      out.add(tools.topology(d, tools.daemonPolicy(), byDev, Optional.empty(), true, line -> {}));
    }
    return out;
  }

  private String mapsTable() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("name", "sysfs", "uuid"));
    for (SimulatedDeviceMapper.Device d : tools.maps()) {
      rows.add(List.of(d.name(), d.kernelName().value(), SimulatedMultipathTools.wwidOf(d).value()));
    }
    return rows.size() == 1 ? "" : Columns.left(rows);
  }

  private String pathsTable() {
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("hcil", "dev", "dev_t", "pri", "dm_st", "chk_st", "dev_st", "next_check"));
    for (MapTopology m : topologies()) {
      for (MultipathPath p : m.paths()) {
        rows.add(List.of(p.hctl().map(Object::toString).orElse("#:#:#:#"), p.device().map(Object::toString).orElse("-"),
            p.deviceNumber().map(Object::toString).orElse("#:#"), Integer.toString(p.priority().orElse(0)),
            p.dmState().text(), p.checkerState().text(), p.deviceState().map(s -> s.text()).orElse("undef"),
            "XXXXXXXXXX 1/1"));
      }
    }
    return rows.size() == 1 ? "" : Columns.left(rows);
  }

  /** {@code show maps json}, JSON format 0.1 as multipathd 0.9 prints it. */
  private String json() {
    ObjectNode root = JSON.createObjectNode();
    root.put("major_version", 0).put("minor_version", 1);
    ArrayNode maps = root.putArray("maps");
    for (MapTopology m : topologies()) {
      ObjectNode o = maps.addObject();
      o.put("name", m.name().value()).put("uuid", m.wwid().value()).put("sysfs", m.sysfsName().orElse("undef"))
          .put("failback", "-").put("queueing", "-").put("paths", m.paths().size())
          .put("write_prot", m.writeProtect().map(w -> w.text()).orElse("undef")).put("dm_st", "active")
          .put("features", m.features().orElse("0")).put("hwhandler", m.hardwareHandler().orElse("0"))
          .put("action", "").put("path_faults", 0).put("vend", m.vendor().orElse("##"))
          .put("prod", m.product().orElse("##")).put("rev", "##").put("switch_grp", 0).put("map_loads", 1)
          .put("total_q_time", 0).put("q_timeouts", 0);
      ArrayNode groups = o.putArray("path_groups");
      for (PathGroup g : m.pathGroups()) {
        ObjectNode go = groups.addObject();
        go.put("selector", g.selector()).put("pri", g.priority().orElse(0)).put("dm_st", g.state().text())
            .put("marginal_st", "normal").put("group", g.number());
        ArrayNode ps = go.putArray("paths");
        for (MultipathPath p : g.paths()) {
          ps.addObject().put("dev", p.device().map(Object::toString).orElse("-"))
              .put("dev_t", p.deviceNumber().map(Object::toString).orElse("#:#")).put("dm_st", p.dmState().text())
              .put("dev_st", p.deviceState().map(s -> s.text()).orElse("undef")).put("chk_st", p.checkerState().text())
              .put("checker", "tur").put("pri", p.priority().orElse(0)).put("host_wwnn", "[undef]")
              .put("target_wwnn", "[undef]").put("host_wwpn", "[undef]").put("target_wwpn", "[undef]")
              .put("host_adapter", "[undef]").put("lun_hex", String.format("0x%016x", p.hctl().map(h -> h.lun()).orElse(0L)))
              .put("marginal_st", "normal");
        }
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
