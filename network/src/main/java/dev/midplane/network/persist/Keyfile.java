package dev.midplane.network.persist;

import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A NetworkManager keyfile ({@code /etc/NetworkManager/system-connections/*.nmconnection}), in
 * the GLib key-file syntax NetworkManager uses: {@code [group]} headers, {@code key=value} lines,
 * {@code #} comment lines. Group and key order, and comments, survive a read-modify-write.
 *
 * <p>{@link #parse} accepts blank lines, comment lines, whitespace around {@code =} and around
 * group names (GLib trims it), and the value escapes {@code \s \n \t \r \\} (a leading blank of a
 * value must be written {@code \s}). A key repeated in a group: the last wins, with a warning.
 * Rejected with the line number: a key before the first group, a line that is neither a group, a
 * key=value pair nor a comment, an unterminated group header, and an unknown escape.
 */
public final class Keyfile {
  private static final Pattern GROUP = Pattern.compile("[^\\[\\]\\x00-\\x1f]+");
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.-]+(\\[[A-Za-z_@.-]+\\])?");

  /** A group: its name and its lines (entries or comments) in order. */
  private record Group(String name, List<Object> lines) {}

  private record Entry(String key, String value) {}

  private final List<Object> header; // comments before the first group
  private final List<Group> groups;
  private final List<String> warnings;

  private Keyfile(List<Object> header, List<Group> groups, List<String> warnings) {
    this.header = List.copyOf(header);
    this.groups = groups.stream().map(g -> new Group(g.name(), List.copyOf(g.lines()))).toList();
    this.warnings = List.copyOf(warnings);
  }

  public static Keyfile empty() {
    return new Keyfile(List.of(), List.of(), List.of());
  }

  /** Reads a keyfile; {@code name} goes into error messages. */
  public static Keyfile parse(String name, String text) {
    List<Object> header = new ArrayList<>();
    List<Group> groups = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Group current = null;
    int n = 0;
    String[] lines = text.split("\n", -1);
    int count = text.isEmpty() ? 0 : text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < count; i++) {
      String line = lines[i];
      n++;
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#")) {
        (current == null ? header : current.lines()).add(line);
        continue;
      }
      if (t.startsWith("[")) {
        if (!t.endsWith("]")) {
          throw new ParseException(name, n, line, "a group header is [name]");
        }
        String g = t.substring(1, t.length() - 1).strip();
        if (!GROUP.matcher(g).matches()) {
          throw new ParseException(name, n, line, "not a group name");
        }
        Optional<Group> existing = groups.stream().filter(x -> x.name().equals(g)).findFirst();
        if (existing.isPresent()) {
          warnings.add(name + ", line " + n + ": group [" + g + "] appears again; its keys are merged");
          current = existing.get();
        } else {
          current = new Group(g, new ArrayList<>());
          groups.add(current);
        }
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new ParseException(name, n, line, "neither a [group], a key=value pair nor a # comment");
      }
      if (current == null) {
        throw new ParseException(name, n, line, "a key before the first [group]");
      }
      String key = line.substring(0, eq).strip();
      if (!KEY.matcher(key).matches()) {
        throw new ParseException(name, n, line, "not a key name: '" + key + "'");
      }
      String value;
      try {
        value = unescape(stripGlibSpace(line.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        throw new ParseException(name, n, line, e.getMessage());
      }
      for (Object o : current.lines()) {
        if (o instanceof Entry e && e.key().equals(key)) {
          warnings.add(name + ", line " + n + ": " + key + " is set again in [" + current.name() + "]; the last value counts");
        }
      }
      current.lines().removeIf(o -> o instanceof Entry e && e.key().equals(key));
      current.lines().add(new Entry(key, value));
    }
    return new Keyfile(header, groups, warnings);
  }

  /** GLib skips ASCII white space before a value: space, tab, CR, LF, VT, FF. */
  private static String stripGlibSpace(String s) {
    int i = 0;
    while (i < s.length() && " \t\r\n\u000b\f".indexOf(s.charAt(i)) >= 0) {
      i++;
    }
    return s.substring(i);
  }

  static String unescape(String raw) {
    StringBuilder b = new StringBuilder(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (i + 1 >= raw.length()) {
        throw new IllegalArgumentException("a value ends with a lone backslash");
      }
      char e = raw.charAt(++i);
      switch (e) {
        case 's' -> b.append(' ');
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case '\\' -> b.append('\\');
        default -> throw new IllegalArgumentException("unknown escape \\" + e);
      }
    }
    return b.toString();
  }

  static String escape(String v) {
    if (!v.isEmpty() && (v.charAt(0) == '\u000b' || v.charAt(0) == '\f')) {
      throw new IllegalArgumentException("a keyfile value cannot start with a vertical tab or form feed: GLib drops it");
    }
    StringBuilder b = new StringBuilder(v.length() + 4);
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case ' ' -> b.append(i == 0 ? "\\s" : " ");
        default -> {
          if (c == 0) {
            throw new IllegalArgumentException("a keyfile value cannot hold NUL");
          }
          b.append(c);
        }
      }
    }
    return b.toString();
  }

  /** The value of {@code key} in {@code group}. */
  public Optional<String> get(String group, String key) {
    return groups.stream().filter(g -> g.name().equals(group)).findFirst()
        .flatMap(g -> g.lines().stream().filter(o -> o instanceof Entry e && e.key().equals(key)).map(o -> ((Entry) o).value())
            .findFirst());
  }

  /** The group names, in order. */
  public List<String> groups() {
    return groups.stream().map(Group::name).toList();
  }

  /** A group's keys and values, in order; empty for a missing group. */
  public Map<String, String> group(String group) {
    Map<String, String> m = new LinkedHashMap<>();
    groups.stream().filter(g -> g.name().equals(group)).findFirst().ifPresent(g -> g.lines().forEach(o -> {
      if (o instanceof Entry e) {
        m.put(e.key(), e.value());
      }
    }));
    return java.util.Collections.unmodifiableMap(m);
  }

  public List<String> warnings() {
    return warnings;
  }

  /** This keyfile with {@code key} set in {@code group} (both created at the end when missing). */
  public Keyfile with(String group, String key, String value) {
    if (!GROUP.matcher(group).matches() || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("bad group or key: [" + group + "] " + key);
    }
    Objects.requireNonNull(value, "value");
    List<Group> out = new ArrayList<>();
    boolean found = false;
    for (Group g : groups) {
      if (!g.name().equals(group)) {
        out.add(g);
        continue;
      }
      found = true;
      List<Object> lines = new ArrayList<>();
      boolean set = false;
      for (Object o : g.lines()) {
        if (o instanceof Entry e && e.key().equals(key)) {
          lines.add(new Entry(key, value));
          set = true;
        } else {
          lines.add(o);
        }
      }
      if (!set) {
        int at = lines.size();
        while (at > 0 && lines.get(at - 1) instanceof String s && s.isBlank()) {
          at--; // keep the blank line that separates groups after the new key
        }
        lines.add(at, new Entry(key, value));
      }
      out.add(new Group(group, lines));
    }
    if (!found) {
      out.add(new Group(group, List.of(new Entry(key, value))));
    }
    return new Keyfile(header, out, warnings);
  }

  /** The keyfile's text. */
  public String render() {
    StringBuilder b = new StringBuilder();
    header.forEach(h -> b.append(h).append('\n'));
    for (int i = 0; i < groups.size(); i++) {
      Group g = groups.get(i);
      if (i > 0 && !endsBlank(groups.get(i - 1))) {
        b.append('\n');
      }
      b.append('[').append(g.name()).append("]\n");
      for (Object o : g.lines()) {
        if (o instanceof Entry e) {
          b.append(e.key()).append('=').append(escape(e.value())).append('\n');
        } else {
          b.append(o).append('\n');
        }
      }
    }
    return b.toString();
  }

  private static boolean endsBlank(Group g) {
    return !g.lines().isEmpty() && g.lines().get(g.lines().size() - 1) instanceof String s && s.isBlank();
  }

  /** Equal when groups, keys, values and comments are equal and in the same order. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Keyfile k && k.header.equals(header) && k.groups.equals(groups);
  }

  @Override
  public int hashCode() {
    return Objects.hash(header, groups);
  }

  @Override
  public String toString() {
    return render();
  }
}
