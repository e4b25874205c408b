package dev.midplane.multipath.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads {@code multipathd show maps json} ({@code {"maps": [...]}}) and {@code show map X json}
 * ({@code {"map": {...}}}), JSON format major version 0. Missing fields are reported with their
 * JSON path; syntax errors and truncation with the line.
 */
final class MultipathdJson {
  static final String SOURCE = "multipathd JSON";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String UNDEF = "[undef]";

  private MultipathdJson() {}

  static List<MapTopology> parse(String text) {
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new MultipathParseException(SOURCE, line, lineOf(text, line), e.getOriginalMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new MultipathParseException(SOURCE, 0, "", "expected a JSON object");
    }
    int major = root.path("major_version").asInt(-1);
    if (major != 0) {
      throw new MultipathParseException(SOURCE, 0, "", "unsupported major_version " + root.path("major_version")
          + " (this parser reads version 0, multipath-tools 0.7 to 0.10)");
    }
    List<MapTopology> maps = new ArrayList<>();
    if (root.has("maps")) {
      JsonNode array = root.get("maps");
      if (!array.isArray()) {
        throw at("maps", "must be an array");
      }
      for (int i = 0; i < array.size(); i++) {
        maps.add(map(array.get(i), "maps[" + i + "]"));
      }
    } else if (root.has("map")) {
      maps.add(map(root.get("map"), "map"));
    } else {
      throw at("", "neither \"maps\" nor \"map\"");
    }
    return List.copyOf(maps);
  }

  private static String lineOf(String text, int line) {
    if (line <= 0) {
      return "";
    }
    String[] lines = text.split("\n", -1);
    return line <= lines.length ? lines[line - 1] : "";
  }

  private static MultipathParseException at(String path, String problem) {
    return new MultipathParseException(SOURCE, 0, "", (path.isEmpty() ? "" : path + ": ") + problem);
  }

  private static String text(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.isContainerNode()) {
      throw at(path, "missing \"" + field + "\"");
    }
    return v.asText();
  }

  private static Optional<String> optional(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() || v.asText().equals(UNDEF) ? Optional.empty() : Optional.of(v.asText());
  }

  private static int integer(JsonNode n, String field, String path) {
    JsonNode v = n.get(field);
    if (v == null || !v.isInt()) {
      throw at(path, "missing integer \"" + field + "\"");
    }
    return v.asInt();
  }

  private static <E extends Printed> E word(Function<String, Optional<E>> lookup, JsonNode n, String field, String path) {
    String s = text(n, field, path);
    return lookup.apply(s).orElseThrow(() -> at(path, "unknown " + field + " \"" + s + "\""));
  }

  private static MapTopology map(JsonNode m, String path) {
    MapTopology.Builder b = MapTopology.builder();
    try {
      b.name(MapName.parse(text(m, "name", path)));
      b.wwid(Wwid.of(text(m, "uuid", path)));
    } catch (InvalidNameException e) {
      throw at(path, e.getMessage());
    }
    optional(m, "sysfs").filter(s -> !s.equals("undef")).ifPresent(b::sysfsName);
    optional(m, "vend").filter(s -> !s.equals("##")).ifPresent(b::vendor);
    optional(m, "prod").filter(s -> !s.equals("##")).ifPresent(b::product);
    optional(m, "rev").filter(s -> !s.equals("##")).ifPresent(b::revision);
    optional(m, "features").ifPresent(b::features);
    optional(m, "hwhandler").ifPresent(b::hardwareHandler);
    optional(m, "write_prot").flatMap(WriteProtect::fromText).ifPresent(b::writeProtect);
    optional(m, "dm_st").ifPresent(b::dmState);
    optional(m, "queueing").ifPresent(b::queueing);
    optional(m, "action").ifPresent(b::action);
    if (m.has("path_faults")) {
      b.pathFaults(integer(m, "path_faults", path));
    }
    JsonNode groups = m.get("path_groups");
    if (groups == null || !groups.isArray()) {
      throw at(path, "missing array \"path_groups\"");
    }
    int pathCount = 0;
    for (int i = 0; i < groups.size(); i++) {
      PathGroup g = group(groups.get(i), path + ".path_groups[" + i + "]", i + 1);
      pathCount += g.paths().size();
      b.addPathGroups(g);
    }
    if (m.has("paths") && integer(m, "paths", path) != pathCount) {
      throw at(path, "\"paths\" says " + m.get("paths").asInt() + " but the path groups hold " + pathCount);
    }
    return b.build();
  }

  private static PathGroup group(JsonNode g, String path, int position) {
    PathGroup.Builder b = PathGroup.builder()
        .number(g.has("group") ? integer(g, "group", path) : position)
        .selector(text(g, "selector", path))
        .state(word(PathGroupState::fromText, g, "dm_st", path));
    if (g.has("pri")) {
      b.priority(integer(g, "pri", path));
    }
    JsonNode paths = g.get("paths");
    if (paths == null || !paths.isArray()) {
      throw at(path, "missing array \"paths\"");
    }
    for (int i = 0; i < paths.size(); i++) {
      b.addPaths(path(paths.get(i), path + ".paths[" + i + "]"));
    }
    return b.build();
  }

  private static MultipathPath path(JsonNode p, String path) {
    MultipathPath.Builder b = MultipathPath.builder();
    String dev = text(p, "dev", path);
    String devt = text(p, "dev_t", path);
    try {
      if (!dev.equals("-")) {
        b.device(BlockDeviceName.of(dev));
      }
      if (!devt.equals("#:#")) {
        b.deviceNumber(DevNumber.parse(devt));
      }
    } catch (InvalidNameException | IllegalArgumentException e) {
      throw at(path, e.getMessage());
    }
    b.dmState(word(PathState::fromText, p, "dm_st", path));
    b.checkerState(word(CheckerState::fromText, p, "chk_st", path));
    if (p.has("dev_st")) {
      b.deviceState(word(DeviceState::fromText, p, "dev_st", path));
    }
    if (p.has("pri")) {
      b.priority(integer(p, "pri", path));
    }
    optional(p, "checker").ifPresent(b::checker);
    optional(p, "host_wwpn").ifPresent(b::hostWwpn);
    optional(p, "target_wwpn").ifPresent(b::targetWwpn);
    optional(p, "host_wwnn").ifPresent(b::hostWwnn);
    optional(p, "target_wwnn").ifPresent(b::targetWwnn);
    return b.build();
  }
}
