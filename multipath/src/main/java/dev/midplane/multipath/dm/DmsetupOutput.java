package dev.midplane.multipath.dm;

import dev.midplane.multipath.MultipathParseException;
import dev.midplane.sysfs.DevNumber;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsers for {@code dmsetup} output, as printed by device-mapper 1.02 (checked on 1.02.185). Each
 * is a pure function of the text; malformed or cut-short input throws
 * {@link MultipathParseException} with the line (and, inside a table, the word). "No devices found"
 * is an empty result, not an error.
 */
public final class DmsetupOutput {
  private DmsetupOutput() {}

  private static final String NO_DEVICES = "No devices found";
  private static final Pattern LS = Pattern.compile("^(.+?)\\s+\\((\\d+)(?::|, ?)(\\d+)\\)\\s*$");
  private static final Pattern TARGET = Pattern.compile("^(\\d+) (\\d+) (\\S+)(?: (.*?))?\\s*$");
  private static final Pattern NAMED = Pattern.compile("^(.+?): (\\d+ \\d+ \\S+.*)$");
  private static final Pattern TREE = Pattern.compile("^([ |]*)([|`]-)(.*?) ?\\((\\d+):(\\d+)\\)\\s*$");
  private static final Pattern TREE_ROOT = Pattern.compile("^(\\S.*?) \\((\\d+):(\\d+)\\)\\s*$");
  private static final Pattern INFO_ROW = Pattern.compile(
      "^(.+?)\\s+(\\d+)\\s+(\\d+)\\s+([L-][I-][s-][rw])\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)(?:\\s+(\\S.*?))?\\s*$");
  private static final Pattern INFO_HEADER = Pattern.compile("^Name\\s+Maj\\s+Min\\s+Stat\\s+Open\\s+Targ\\s+Event\\s+UUID\\s*$");
  private static final Pattern DEPS = Pattern.compile("^(\\d+) dependenc(?:y|ies)\\s*:\\s*(.*)$");

  private static List<String> lines(String text) {
    return text.lines().map(l -> l.endsWith("\r") ? l.substring(0, l.length() - 1) : l).toList();
  }

  /** What to do with one line that matched. */
  @FunctionalInterface
  private interface LineHandler {
    void accept(int lineNo, String line, Matcher m);
  }

  /**
   * Matches every non-blank line from {@code from} on against {@code pattern}; a line that does not
   * match is an error saying what was {@code expected}.
   */
  private static void eachLine(List<String> lines, int from, Pattern pattern, String source, String expected, LineHandler handler) {
    for (int i = from; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank()) {
        continue;
      }
      Matcher m = pattern.matcher(l);
      if (!m.matches()) {
        throw new MultipathParseException(source, i + 1, l, "expected " + expected);
      }
      handler.accept(i + 1, l, m);
    }
  }

  private static boolean noDevices(List<String> lines) {
    return lines.stream().filter(l -> !l.isBlank()).allMatch(l -> l.strip().equals(NO_DEVICES));
  }

  /** {@code dmsetup ls} (also {@code ls --target multipath}): names and device numbers. */
  public static List<DmsetupDevice> ls(String text) {
    List<String> lines = lines(text);
    if (noDevices(lines)) {
      return List.of();
    }
    List<DmsetupDevice> devices = new ArrayList<>();
    eachLine(lines, 0, LS, "dmsetup ls", "'name<TAB>(major:minor)'", (n, l, m) ->
        devices.add(new DmsetupDevice(m.group(1), Optional.of(number("dmsetup ls", n, l, m.group(2), m.group(3))), List.of())));
    return List.copyOf(devices);
  }

  private static DevNumber number(String source, int line, String text, String major, String minor) {
    try {
      return new DevNumber(Integer.parseInt(major), Integer.parseInt(minor));
    } catch (RuntimeException e) {
      throw new MultipathParseException(source, line, text, "invalid device number " + major + ":" + minor, e);
    }
  }

  /** A device of the tree whose children are still being read. */
  private record OpenNode(int column, String name, DevNumber number, List<DmTreeNode> children) {
    DmTreeNode node() {
      return new DmTreeNode(name.isEmpty() ? Optional.empty() : Optional.of(name), number, children);
    }
  }

  /** {@code dmsetup ls --tree}: each device-mapper device with what it is built on. */
  public static List<DmTreeNode> lsTree(String text) {
    String source = "dmsetup ls --tree";
    List<String> lines = lines(text);
    if (noDevices(lines)) {
      return List.of();
    }
    List<DmTreeNode> roots = new ArrayList<>();
    Deque<OpenNode> stack = new ArrayDeque<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.isBlank()) {
        continue;
      }
      Matcher child = TREE.matcher(l);
      Matcher root = TREE_ROOT.matcher(l);
      if (child.matches()) {
        int column = child.group(1).length();
        if (stack.isEmpty()) {
          throw new MultipathParseException(source, i + 1, l, "a branch without a device above it");
        }
        while (stack.size() > 1 && stack.peek().column() >= column) {
          close(stack, roots);
        }
        if (stack.peek().column() >= column) {
          throw new MultipathParseException(source, i + 1, l, "a branch not indented below its device");
        }
        stack.push(new OpenNode(column, child.group(3).strip(), number(source, i + 1, l, child.group(4), child.group(5)),
            new ArrayList<>()));
      } else if (root.matches()) {
        while (!stack.isEmpty()) {
          close(stack, roots);
        }
        stack.push(new OpenNode(-1, root.group(1), number(source, i + 1, l, root.group(2), root.group(3)), new ArrayList<>()));
      } else {
        throw new MultipathParseException(source, i + 1, l, "expected 'name (major:minor)' or a branch ' |- (major:minor)'");
      }
    }
    while (!stack.isEmpty()) {
      close(stack, roots);
    }
    return List.copyOf(roots);
  }

  /** Finishes the innermost open device: it becomes a child of the next one, or a root. */
  private static void close(Deque<OpenNode> stack, List<DmTreeNode> roots) {
    DmTreeNode done = stack.pop().node();
    if (stack.isEmpty()) {
      roots.add(done);
    } else {
      stack.peek().children().add(done);
    }
  }

  /** {@code dmsetup table} without a device name: every device's targets ({@code name: 0 131072 multipath …}). */
  public static List<DmsetupDevice> tables(String text) {
    return named(text, "dmsetup table");
  }

  /** {@code dmsetup status} without a device name. */
  public static List<DmsetupDevice> statuses(String text) {
    return named(text, "dmsetup status");
  }

  private static List<DmsetupDevice> named(String text, String source) {
    List<String> lines = lines(text);
    if (noDevices(lines)) {
      return List.of();
    }
    Map<String, List<DmTarget>> byName = new LinkedHashMap<>();
    String[] previous = {null};
    eachLine(lines, 0, NAMED, source, "'name: start length type parameters'", (n, l, m) -> {
      String name = m.group(1);
      if (byName.containsKey(name) && !name.equals(previous[0])) {
        throw new MultipathParseException(source, n, l, "device " + name + " appears twice, apart");
      }
      byName.computeIfAbsent(name, k -> new ArrayList<>()).add(target(m.group(2), source, n, l));
      previous[0] = name;
    });
    List<DmsetupDevice> devices = new ArrayList<>();
    byName.forEach((name, targets) -> devices.add(new DmsetupDevice(name, Optional.empty(), targets)));
    return List.copyOf(devices);
  }

  /** {@code dmsetup table <name>} or {@code dmsetup status <name>}: one device's targets. */
  public static List<DmTarget> targets(String text) {
    String source = "dmsetup table/status of one device";
    List<String> lines = lines(text);
    List<DmTarget> targets = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        targets.add(target(lines.get(i), source, i + 1, lines.get(i)));
      }
    }
    if (targets.isEmpty()) {
      throw new MultipathParseException(source, 0, "", "no target line (the device has no live table?)");
    }
    return List.copyOf(targets);
  }

  private static DmTarget target(String s, String source, int line, String text) {
    Matcher m = TARGET.matcher(s);
    if (!m.matches()) {
      throw new MultipathParseException(source, line, text, "expected 'start length type parameters'");
    }
    try {
      return new DmTarget(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3),
          m.group(4) == null ? "" : m.group(4));
    } catch (NumberFormatException e) {
      throw new MultipathParseException(source, line, text, "sector numbers out of range", e);
    }
  }

  /**
   * The one target of {@code dmsetup table <name>}, checked to be a well-formed multipath table;
   * its {@link DmTarget#lengthBytes()} is the map's size.
   */
  public static DmTarget multipathTarget(String text) {
    DmTarget t = onlyMultipath(text, "dmsetup table");
    multipathTable(t.parameters(), "dmsetup table", 1, firstLine(text));
    return t;
  }

  /** The multipath table of {@code dmsetup table <name>}. */
  public static MultipathTable multipathTable(String text) {
    return multipathTable(onlyMultipath(text, "dmsetup table").parameters(), "dmsetup table", 1, firstLine(text));
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("");
  }

  /** The one target of a device's table or status, which must be a multipath target. */
  private static DmTarget onlyMultipath(String text, String source) {
    List<DmTarget> t = targets(text);
    if (t.size() != 1 || !t.get(0).type().equals("multipath")) {
      throw new MultipathParseException(source, 1, firstLine(text),
          "expected one multipath target, found " + t.size() + " target(s) of type " + t.get(0).type());
    }
    return t.get(0);
  }

  /** The one multipath status of {@code dmsetup status <name>}. */
  public static MultipathStatus multipathStatus(String text) {
    return multipathStatus(onlyMultipath(text, "dmsetup status").parameters(), "dmsetup status", 1, firstLine(text));
  }

  static MultipathTable multipathTable(String params, String source, int line, String lineText) {
    Words w = new Words(params, source, line, lineText);
    MultipathTable.Builder b = MultipathTable.builder();
    b.features(w.counted("feature words"));
    List<String> hw = w.counted("hardware handler words");
    if (!hw.isEmpty()) {
      b.hardwareHandler(hw.get(0)).hardwareHandlerArgs(hw.subList(1, hw.size()));
    }
    int groups = w.count("number of path groups");
    b.initialGroup((int) w.number("initial path group", 0, groups));
    for (int g = 0; g < groups; g++) {
      String selector = w.word("path selector of group " + (g + 1));
      List<String> selectorArgs = w.counted("selector arguments");
      int paths = w.count("number of paths of group " + (g + 1));
      int pathArgs = w.count("number of arguments per path");
      List<MultipathTable.Path> list = new ArrayList<>();
      for (int p = 0; p < paths; p++) {
        DevNumber dev = w.device("path device");
        List<String> args = new ArrayList<>();
        for (int a = 0; a < pathArgs; a++) {
          args.add(w.word("path argument"));
        }
        list.add(new MultipathTable.Path(dev, args));
      }
      b.addGroups(new MultipathTable.Group(selector, selectorArgs, pathArgs, list));
    }
    w.end("the last path group");
    return b.build();
  }

  static MultipathStatus multipathStatus(String params, String source, int line, String lineText) {
    Words w = new Words(params, source, line, lineText);
    MultipathStatus.Builder b = MultipathStatus.builder();
    int features = w.count("number of feature counters");
    for (int i = 0; i < features; i++) {
      b.addFeatureCounters(w.number("feature counter", 0, Long.MAX_VALUE));
    }
    b.hardwareHandlerStatus(w.counted("hardware handler status words"));
    int groups = w.count("number of path groups");
    b.nextGroup((int) w.number("next path group", 0, groups));
    for (int g = 0; g < groups; g++) {
      String s = w.word("state of group " + (g + 1));
      MultipathStatus.GroupState state = MultipathStatus.GroupState.of(s)
          .orElseThrow(() -> w.fail("group state must be A, E or D, found '" + s + "'"));
      List<String> selectorStatus = w.counted("selector status words");
      int paths = w.count("number of paths of group " + (g + 1));
      int infoArgs = w.count("number of selector words per path");
      List<MultipathStatus.Path> list = new ArrayList<>();
      for (int p = 0; p < paths; p++) {
        DevNumber dev = w.device("path device");
        String active = w.word("path state");
        if (!active.equals("A") && !active.equals("F")) {
          throw w.fail("path state must be A or F, found '" + active + "'");
        }
        long fails = w.number("failure count", 0, Long.MAX_VALUE);
        List<String> info = new ArrayList<>();
        for (int a = 0; a < infoArgs; a++) {
          info.add(w.word("selector word"));
        }
        list.add(new MultipathStatus.Path(dev, active.equals("A"), fails, info));
      }
      b.addGroups(new MultipathStatus.Group(state, selectorStatus, list));
    }
    w.end("the last path group");
    return b.build();
  }

  /** {@code dmsetup info -c} in its default columns (Name Maj Min Stat Open Targ Event UUID). */
  public static List<DmInfo> infoColumns(String text) {
    String source = "dmsetup info -c";
    List<String> lines = lines(text);
    if (noDevices(lines)) {
      return List.of();
    }
    if (lines.isEmpty() || !INFO_HEADER.matcher(lines.get(0)).matches()) {
      throw new MultipathParseException(source, 1, lines.isEmpty() ? "" : lines.get(0),
          "expected the default header 'Name Maj Min Stat Open Targ Event UUID'");
    }
    List<DmInfo> infos = new ArrayList<>();
    eachLine(lines, 1, INFO_ROW, source, "name, major, minor, state (e.g. L--w), open, targets, events, UUID", (n, l, m) -> {
      String stat = m.group(4);
      infos.add(new DmInfo(m.group(1), number(source, n, l, m.group(2), m.group(3)), stat.charAt(0) == 'L',
          stat.charAt(1) == 'I', stat.charAt(2) == 's', stat.charAt(3) == 'r', Integer.parseInt(m.group(5)),
          Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), Optional.ofNullable(m.group(8))));
    });
    return List.copyOf(infos);
  }

  /** {@code dmsetup info [name]} in the long format: one block of {@code Key: value} lines per device. */
  public static List<DmInfo> info(String text) {
    String source = "dmsetup info";
    List<String> lines = lines(text);
    if (noDevices(lines)) {
      return List.of();
    }
    List<DmInfo> infos = new ArrayList<>();
    Map<String, String> block = new LinkedHashMap<>();
    int blockLine = 0;
    for (int i = 0; i <= lines.size(); i++) {
      String l = i < lines.size() ? lines.get(i) : "";
      if (l.isBlank()) {
        if (!block.isEmpty()) {
          infos.add(infoBlock(block, source, blockLine));
          block.clear();
        }
        continue;
      }
      int colon = l.indexOf(':');
      if (colon <= 0) {
        throw new MultipathParseException(source, i + 1, l, "expected 'Key: value'");
      }
      if (block.isEmpty()) {
        blockLine = i + 1;
      }
      block.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
    }
    return List.copyOf(infos);
  }

  private static DmInfo infoBlock(Map<String, String> b, String source, int line) {
    for (String key : List.of("Name", "State", "Tables present", "Open count", "Event number", "Major, minor", "Number of targets")) {
      if (!b.containsKey(key)) {
        throw new MultipathParseException(source, line, "", "the block starting here has no '" + key + "': cut short?");
      }
    }
    String[] mm = b.get("Major, minor").split(",\\s*");
    try {
      String state = b.get("State");
      String tables = b.get("Tables present");
      return new DmInfo(b.get("Name"), new DevNumber(Integer.parseInt(mm[0]), Integer.parseInt(mm[1])),
          tables.contains("LIVE"), tables.contains("INACTIVE"), state.startsWith("SUSPENDED"), state.contains("READ-ONLY"),
          Integer.parseInt(b.get("Open count")), Integer.parseInt(b.get("Number of targets")),
          Long.parseLong(b.get("Event number")), Optional.ofNullable(b.get("UUID")).filter(u -> !u.isEmpty()));
    } catch (RuntimeException e) {
      throw new MultipathParseException(source, line, "", "a number in the block starting here is malformed: " + e.getMessage(), e);
    }
  }

  /** {@code dmsetup deps <name>} in the default format ({@code (8, 16)}): the underlying devices. */
  public static List<DevNumber> deps(String text) {
    List<String> entries = depEntries(text);
    List<DevNumber> list = new ArrayList<>(entries.size());
    for (String e : entries) {
      String[] mm = e.split(",\\s*");
      if (mm.length != 2 || !mm[0].matches("\\d+") || !mm[1].matches("\\d+")) {
        throw new MultipathParseException("dmsetup deps", 1, text.strip(),
            "'(" + e + ")' is not a device number (for 'deps -o devname' use depsByName)");
      }
      list.add(number("dmsetup deps", 1, text.strip(), mm[0], mm[1]));
    }
    return List.copyOf(list);
  }

  /** {@code dmsetup deps -o devname <name>}: the underlying devices' kernel names ({@code sda}). */
  public static List<String> depsByName(String text) {
    return depEntries(text);
  }

  private static List<String> depEntries(String text) {
    String source = "dmsetup deps";
    String l = lines(text).stream().filter(x -> !x.isBlank()).findFirst()
        .orElseThrow(() -> new MultipathParseException(source, 0, "", "empty output"));
    Matcher m = DEPS.matcher(l);
    if (!m.matches()) {
      throw new MultipathParseException(source, 1, l, "expected 'N dependencies : (…) (…)'");
    }
    Matcher each = Pattern.compile("\\(([^()]+)\\)").matcher(m.group(2));
    List<String> list = new ArrayList<>();
    while (each.find()) {
      list.add(each.group(1).strip());
    }
    if (list.size() != Integer.parseInt(m.group(1))) {
      throw new MultipathParseException(source, 1, l, "announces " + m.group(1) + " dependencies, lists " + list.size());
    }
    return List.copyOf(list);
  }
}
