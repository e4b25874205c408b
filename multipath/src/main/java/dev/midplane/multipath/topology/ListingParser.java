package dev.midplane.multipath.topology;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.DeviceNumber;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the topology of {@code multipath -ll}/{@code -l} and {@code multipathd show topology} in the
 * tree layout (0.4.9 and later) and the bracket layout (0.4.x), line by line, refusing what it does
 * not recognise.
 */
final class ListingParser {
  static final String SOURCE = "multipath topology";

  private static final Set<String> ACTIONS = Set.of("create", "reload", "switchpg", "rename", "resize", "reject");
  private static final String ACTION = "(?:(create|reload|switchpg|rename|resize|reject): )?";
  private static final Pattern STAMPED_LOG = Pattern.compile(
      "^\\s*(?:\\d+\\.\\d+|[A-Z][a-z]{2} [ 0-9]\\d \\d\\d:\\d\\d:\\d\\d) \\| .*");
  private static final Pattern PLAIN_LOG = Pattern.compile("^(?:DM message |error |Error |WARNING|Warning|(\\S+): ).*");
  private static final Pattern HEADER = Pattern.compile(
      "^" + ACTION + "(.+?)(?: \\(([^()]+)\\))? (dm-\\d+|undef) (.*?)\\s*$");
  private static final Pattern OLD_HEADER = Pattern.compile("^" + ACTION + "(\\S+)(?: \\(([^()]+)\\))?\\s*$");
  private static final Pattern TREE_SIZE = Pattern.compile(
      "^size=(\\S+) features='([^']*)' hwhandler='([^']*)' wp=(\\S+)\\s*$");
  private static final Pattern OLD_SIZE = Pattern.compile(
      "^\\[size=([^\\]]+)\\]\\[features=([^\\]]*)\\]\\[hwhandler=([^\\]]*)\\](?:\\[(rw|ro)\\])?\\s*$");
  private static final Pattern TREE_GROUP = Pattern.compile(
      "^(\\|-\\+-|`-\\+-) policy='([^']*)' prio=(-?\\d+) status=(\\S+)\\s*$");
  private static final Pattern OLD_GROUP = Pattern.compile("^\\\\_ (.+?) (?:\\[prio=(-?\\d+)\\])?\\[(\\w+)\\]\\s*$");
  private static final Pattern TREE_PATH = Pattern.compile("^(\\| |  )(\\|- |`- )(.*)$");
  private static final Pattern OLD_PATH = Pattern.compile(
      "^ \\\\_ (\\S+) (\\S+) +(\\S+) +\\[(\\w+)\\]\\[([^\\]]+)\\]\\s*$");
  private static final Pattern DEVICE = Pattern.compile("[A-Za-z0-9!._:+-]{1,64}");

  private enum Layout {
    TREE,
    BRACKETS
  }

  private final String text;
  private final List<MultipathMap> maps = new ArrayList<>();
  private final List<LogLine> messages = new ArrayList<>();
  private int lineNo;
  private String line;

  // the map being read
  private MultipathMap.Builder map;
  private Layout layout;
  private int mapLine;
  private boolean sizeSeen;
  private final List<PathGroup.Builder> groups = new ArrayList<>();
  private boolean groupIsLast;
  private boolean pathIsLast;
  private int pathsInGroup;

  private ListingParser(String text) {
    this.text = text;
  }

  static MultipathListing parse(String text) {
    ListingParser p = new ListingParser(text);
    p.run();
    return new MultipathListing(p.maps, p.messages);
  }

  static List<MapName> parseNames(String text) {
    List<MapName> names = new ArrayList<>();
    int n = 0;
    for (String l : text.split("\n", -1)) {
      n++;
      String s = l.strip();
      if (s.isEmpty() || STAMPED_LOG.matcher(l).matches() || PLAIN_LOG.matcher(l).matches()) {
        continue;
      }
      try {
        names.add(MapName.parse(s));
      } catch (InvalidNameException e) {
        throw new MultipathParseException("multipath -v1 output", n, l, e.getMessage(), e);
      }
    }
    return List.copyOf(names);
  }

  private MultipathParseException fail(String problem) {
    return new MultipathParseException(SOURCE, lineNo, line, problem);
  }

  private void run() {
    String[] lines = text.split("\n", -1);
    int count = lines.length;
    if (count > 0 && lines[count - 1].isEmpty()) {
      count--;
    }
    for (int i = 0; i < count; i++) {
      lineNo = i + 1;
      line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
      if (STAMPED_LOG.matcher(line).matches()) {
        messages.add(new LogLine(lineNo, line));
        continue;
      }
      if (map != null && inMap()) {
        continue;
      }
      topLevel();
    }
    lineNo = count;
    line = count > 0 ? lines[count - 1] : "";
    endMap(true);
  }

  /** Handles the line as part of the current map; false when the line ends the map. */
  private boolean inMap() {
    if (!sizeSeen) {
      Matcher tree = TREE_SIZE.matcher(line);
      Matcher old = OLD_SIZE.matcher(line);
      if (tree.matches()) {
        layout = Layout.TREE;
        sizeLine(tree.group(1), tree.group(2), tree.group(3), Optional.of(tree.group(4)));
      } else if (old.matches()) {
        layout = Layout.BRACKETS;
        sizeLine(old.group(1), unquote(old.group(2)), unquote(old.group(3)), Optional.ofNullable(old.group(4)));
      } else if (isPlainLog()) {
        messages.add(new LogLine(lineNo, line));
      } else {
        throw fail("expected the size line (size=… or [size=…]) after the header of map on line " + mapLine);
      }
      return true;
    }
    return layout == Layout.TREE ? treeLine() : bracketLine();
  }

  private boolean treeLine() {
    Matcher g = TREE_GROUP.matcher(line);
    if (g.matches()) {
      if (groupIsLast) {
        throw fail("a path group after the one marked last ('`-+-')");
      }
      closeGroup();
      groupIsLast = g.group(1).startsWith("`");
      openGroup(g.group(2), OptionalInt.of(Integer.parseInt(g.group(3))), g.group(4));
      return true;
    }
    Matcher p = TREE_PATH.matcher(line);
    if (p.matches() && !groups.isEmpty()) {
      if (pathIsLast) {
        throw fail("a path after the one marked last ('`-') in path group " + groups.size());
      }
      if (p.group(1).equals("| ") == groupIsLast) {
        throw fail("the path's indentation does not fit its group (" + (groupIsLast ? "last" : "not last") + " group)");
      }
      pathIsLast = p.group(2).startsWith("`");
      String[] t = p.group(3).trim().split(" +");
      if (t.length < 6) {
        throw fail("expected 'H:C:T:L dev major:minor dm-state checker-state device-state'");
      }
      String checker = String.join(" ", java.util.Arrays.copyOfRange(t, 4, t.length - 1));
      addPath(t[0], t[1], t[2], t[3], checker, Optional.of(t[t.length - 1]));
      return true;
    }
    return logOrEnd();
  }

  private boolean bracketLine() {
    Matcher g = OLD_GROUP.matcher(line);
    if (g.matches()) {
      closeGroup();
      openGroup(g.group(1), g.group(2) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(g.group(2))), g.group(3));
      return true;
    }
    Matcher p = OLD_PATH.matcher(line);
    if (p.matches() && !groups.isEmpty()) {
      addPath(p.group(1), p.group(2), p.group(3), p.group(4), p.group(5), Optional.empty());
      return true;
    }
    if (line.startsWith(" \\_") || line.startsWith("\\_")) {
      throw fail(groups.isEmpty() && line.startsWith(" ") ? "a path before any path group" : "malformed path group or path line");
    }
    return logOrEnd();
  }

  /** Inside a map, a line that is no topology line is a log message or the end of the map. */
  private boolean logOrEnd() {
    if (!HEADER.matcher(line).matches() && isPlainLog()) {
      messages.add(new LogLine(lineNo, line));
      return true;
    }
    endMap(false);
    return false;
  }

  private void topLevel() {
    if (line.isBlank()) {
      return;
    }
    Matcher h = HEADER.matcher(line);
    if (h.matches()) {
      startMap(h.group(1), h.group(2), h.group(3), Optional.of(h.group(4)), Optional.of(h.group(5)));
      return;
    }
    if (isPlainLog()) {
      messages.add(new LogLine(lineNo, line));
      return;
    }
    Matcher old = OLD_HEADER.matcher(line);
    if (old.matches()) {
      startMap(old.group(1), old.group(2), old.group(3), Optional.empty(), Optional.empty());
      return;
    }
    if (line.startsWith("size=") || line.startsWith("[size=")) {
      throw fail("a size line without a map header before it");
    }
    if (TREE_GROUP.matcher(line).matches() || TREE_PATH.matcher(line).matches() || line.startsWith("\\_") || line.startsWith(" \\_")) {
      throw fail("a path group or path line outside a map");
    }
    throw fail("not a map header, topology line or log message");
  }

  private boolean isPlainLog() {
    Matcher m = PLAIN_LOG.matcher(line);
    return m.matches() && (m.group(1) == null || !ACTIONS.contains(m.group(1)));
  }

  private void startMap(String action, String name, String wwid, Optional<String> sysfs, Optional<String> vpr) {
    map = MultipathMap.builder();
    mapLine = lineNo;
    sizeSeen = false;
    groups.clear();
    groupIsLast = false;
    pathIsLast = false;
    layout = null;
    try {
      MapName mapName = MapName.parse(name);
      map.name(mapName);
      if (wwid != null) {
        map.wwid(Wwid.of(wwid));
      } else {
        map.wwid(mapName.asWwid().orElseThrow(() -> fail("map name " + name + " is not a WWID and no WWID follows it")));
      }
    } catch (InvalidNameException e) {
      throw fail(e.getMessage());
    }
    map.action(Optional.ofNullable(action));
    sysfs.filter(s -> !s.equals("undef")).ifPresent(map::sysfsName);
    vpr.ifPresent(v -> {
      int comma = v.indexOf(',');
      if (comma < 0) {
        throw fail("expected 'vendor,product' after the device name");
      }
      String vendor = v.substring(0, comma).strip();
      String product = v.substring(comma + 1).strip();
      if (!vendor.equals("##")) {
        map.vendor(vendor);
      }
      if (!product.equals("##")) {
        map.product(product);
      }
    });
  }

  private void sizeLine(String size, String features, String hwhandler, Optional<String> wp) {
    try {
      map.size(DisplayedSize.parse(size));
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
    map.features(features).hardwareHandler(hwhandler);
    if (wp.isPresent()) {
      map.writeProtect(word(WriteProtect::fromText, wp.get(), "write protection", WriteProtect.values()));
    }
    sizeSeen = true;
  }

  private void openGroup(String selector, OptionalInt prio, String state) {
    PathGroup.Builder g = PathGroup.builder()
        .number(groups.size() + 1)
        .selector(selector.strip())
        .priority(prio)
        .state(word(PathGroupState::fromText, state, "path group state", PathGroupState.values()));
    groups.add(g);
    pathIsLast = false;
    pathsInGroup = 0;
  }

  private void closeGroup() {
    if (!groups.isEmpty() && pathsInGroup == 0) {
      throw fail("path group " + groups.size() + " has no paths");
    }
    if (layout == Layout.TREE && !groups.isEmpty() && !pathIsLast) {
      throw fail("the last path of path group " + groups.size() + " is not marked last ('`-'): output cut short?");
    }
  }

  private void addPath(String hctl, String dev, String devt, String dm, String checker, Optional<String> devState) {
    MultipathPath.Builder p = MultipathPath.builder();
    try {
      if (!hctl.equals("#:#:#:#")) {
        p.hctl(Hctl.of(hctl));
      }
      if (!dev.equals("-")) {
        if (!DEVICE.matcher(dev).matches()) {
          throw fail("invalid block device name '" + dev + "'");
        }
        p.device(dev);
      }
      if (!devt.equals("#:#")) {
        p.deviceNumber(DeviceNumber.parse(devt));
      }
    } catch (InvalidNameException e) {
      throw fail(e.getMessage());
    }
    p.dmState(word(PathState::fromText, dm, "path dm state", PathState.values()));
    p.checkerState(word(CheckerState::fromText, checker, "checker state", CheckerState.values()));
    devState.ifPresent(s -> p.deviceState(word(DeviceState::fromText, s, "device state", DeviceState.values())));
    groups.get(groups.size() - 1).addPaths(p.build());
    pathsInGroup++;
  }

  private <E extends Printed> E word(Function<String, Optional<E>> lookup, String s, String what, E[] all) {
    return lookup.apply(s).orElseThrow(() -> fail("unknown " + what + " '" + s + "' (known: "
        + String.join(", ", java.util.Arrays.stream(all).map(Printed::text).toList()) + ")"));
  }

  private void endMap(boolean atEnd) {
    if (map == null) {
      return;
    }
    if (!sizeSeen) {
      throw atEnd
          ? fail("output ends after the header of the map on line " + mapLine + ": cut short?")
          : fail("expected the size line after the header of the map on line " + mapLine);
    }
    closeGroup();
    if (layout == Layout.TREE && !groups.isEmpty() && !groupIsLast) {
      throw fail("the map on line " + mapLine + " ends without a path group marked last ('`-+-'): output cut short?");
    }
    for (PathGroup.Builder g : groups) {
      map.addPathGroups(g.build());
    }
    maps.add(map.build());
    map = null;
  }

  private static String unquote(String s) {
    return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
  }
}
