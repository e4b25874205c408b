package dev.midplane.multipath.topology;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.Hctl;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.DevNumber;
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
  /** The device-mapper name field of a header: {@code dm-3} or {@code undef}, between spaces. */
  private static final Pattern SYSFS_FIELD = Pattern.compile(" (dm-\\d+|undef) ");
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

  private enum Layout {
    TREE,
    BRACKETS
  }

  private final String text;
  private final List<MapTopology> maps = new ArrayList<>();
  private final List<LogLine> messages = new ArrayList<>();
  private int lineNo;
  private String line;

  // the map being read
  private MapTopology.Builder map;
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
      if (s.isEmpty() || isStampedLog(l) || PLAIN_LOG.matcher(l).matches()) {
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

  /** A log line with a timestamp; topology lines are rejected by their first character. */
  private static boolean isStampedLog(String l) {
    int i = 0;
    while (i < l.length() && l.charAt(i) == ' ') {
      i++;
    }
    if (i == l.length()) {
      return false;
    }
    char c = l.charAt(i);
    return (c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') && STAMPED_LOG.matcher(l).matches();
  }

  /** The parts of a header line, found without backtracking. */
  private record Header(String action, String name, String wwid, String sysfs, String vpr) {}

  /**
   * {@code [action: ]name[ (wwid)] dm-N|undef vendor,product}; the name may hold spaces (a WWID
   * without alias), so the header is cut at the first {@code dm-N}/{@code undef} field.
   */
  private static Header header(String l) {
    String action = null;
    String rest = l;
    int colon = l.indexOf(": ");
    if (colon > 0 && ACTIONS.contains(l.substring(0, colon))) {
      action = l.substring(0, colon);
      rest = l.substring(colon + 2);
    }
    Matcher f = SYSFS_FIELD.matcher(rest);
    if (!f.find() || f.start() == 0) {
      return null;
    }
    String left = rest.substring(0, f.start());
    if (left.contains(": ")) {
      return null; // "sdb: …" is a message; map names never hold ": "
    }
    String vpr = rest.substring(f.end()).strip();
    String name = left;
    String wwid = null;
    int open = left.lastIndexOf(" (");
    if (open > 0 && left.endsWith(")")) {
      String inner = left.substring(open + 2, left.length() - 1);
      if (!inner.isEmpty() && inner.indexOf('(') < 0 && inner.indexOf(')') < 0) {
        name = left.substring(0, open);
        wwid = inner;
      }
    }
    return new Header(action, name, wwid, f.group(1), vpr);
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
      if (isStampedLog(line)) {
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
    if (line.startsWith("|-+- ") || line.startsWith("`-+- ")) {
      Matcher g = TREE_GROUP.matcher(line);
      if (g.matches()) {
        if (groupIsLast) {
          throw fail("a path group after the one marked last ('`-+-')");
        }
        closeGroup();
        groupIsLast = line.charAt(0) == '`';
        openGroup(g.group(2), OptionalInt.of(Integer.parseInt(g.group(3))), g.group(4));
        return true;
      }
    }
    boolean pathPrefix = line.length() > 5 && (line.startsWith("| ") || line.startsWith("  "))
        && (line.startsWith("|- ", 2) || line.startsWith("`- ", 2));
    if (pathPrefix && !groups.isEmpty()) {
      if (pathIsLast) {
        throw fail("a path after the one marked last ('`-') in path group " + groups.size());
      }
      if ((line.charAt(0) == '|') == groupIsLast) {
        throw fail("the path's indentation does not fit its group (" + (groupIsLast ? "last" : "not last") + " group)");
      }
      pathIsLast = line.charAt(2) == '`';
      List<String> t = words(line, 5);
      if (t.size() < 6) {
        throw fail("expected 'H:C:T:L dev major:minor dm-state checker-state device-state'");
      }
      String checker = t.size() == 6 ? t.get(4) : String.join(" ", t.subList(4, t.size() - 1));
      addPath(t.get(0), t.get(1), t.get(2), t.get(3), checker, Optional.of(t.get(t.size() - 1)));
      return true;
    }
    return logOrEnd();
  }

  /** The space-separated words of {@code s} from {@code from} on. */
  private static List<String> words(String s, int from) {
    List<String> words = new ArrayList<>(8);
    int i = from;
    int n = s.length();
    while (i < n) {
      while (i < n && s.charAt(i) == ' ') {
        i++;
      }
      int start = i;
      while (i < n && s.charAt(i) != ' ') {
        i++;
      }
      if (i > start) {
        words.add(s.substring(start, i));
      }
    }
    return words;
  }

  /** {@code H:C:T:L} without regular expressions; anything unusual goes to {@link Hctl#of(String)}. */
  private static Hctl hctl(String s) {
    long[] n = new long[4];
    int part = 0;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ':' && digits > 0 && part < 3) {
        part++;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 9) {
        n[part] = n[part] * 10 + (c - '0');
        digits++;
      } else {
        return Hctl.of(s);
      }
    }
    return part == 3 && digits > 0 ? Hctl.of((int) n[0], (int) n[1], (int) n[2], n[3]) : Hctl.of(s);
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
    if (header(line) == null && isPlainLog()) {
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
    Header h = header(line);
    if (h != null) {
      startMap(h.action(), h.name(), h.wwid(), Optional.of(h.sysfs()), Optional.of(h.vpr()));
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
    map = MapTopology.builder();
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
        p.hctl(hctl(hctl));
      }
      if (!dev.equals("-")) {
        p.device(BlockDeviceName.of(dev));
      }
      if (!devt.equals("#:#")) {
        p.deviceNumber(DevNumber.parse(devt));
      }
    } catch (InvalidNameException | IllegalArgumentException e) {
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
