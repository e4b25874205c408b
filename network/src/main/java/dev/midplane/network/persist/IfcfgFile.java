package dev.midplane.network.persist;

import dev.midplane.core.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@code ifcfg-*} file of CentOS/RHEL initscripts: shell variable assignments that {@code
 * ifup} sources with bash. Comments and the order of lines survive a read-modify-write.
 *
 * <p>What {@link #parse} accepts, as bash would read it:
 * <ul>
 *   <li>{@code KEY=value}, {@code export KEY=value}; keys are {@code [A-Za-z_][A-Za-z0-9_]*};
 *   <li>values unquoted (a backslash escapes the next character), in {@code '…'} (literal), in
 *       {@code "…"} (backslash escapes only {@code $ ` " \} and a newline), in {@code $'…'}
 *       (ANSI-C escapes {@code \n \t \r \a \b \e \f \v \\ \' \" \xHH \NNN}), or several of these
 *       glued together ({@code "a"'b'c}); a quoted value may span lines;
 *   <li>blank lines, whole-line comments, and a comment after a value ({@code KEY=v # note});
 *   <li>spaces around {@code =} ({@code KEY = value}), which hand-edited files have although
 *       bash would run {@code KEY} as a command: accepted, and reported in {@link #warnings()};
 *   <li>a key assigned twice: the last wins, as in bash, with a warning.
 * </ul>
 * Rejected with the line number, because no value can honestly be given for them: an unquoted
 * value of several words ({@code KEY=a b} runs {@code b}), parameter expansion or command
 * substitution outside single quotes ({@code $VAR}, {@code ${VAR}}, {@code $(cmd)}, backquotes),
 * an unterminated quote, and any line that is not an assignment or a comment.
 *
 * <p>{@link #render()} writes a value bare when it is made only of {@code
 * [A-Za-z0-9_./:,+@%=-]}, in double quotes when it has other printable characters, and as {@code
 * $'…'} when it has control characters — so bash reads back exactly the value that was written.
 */
public final class IfcfgFile {
  /** One line, or one assignment spanning lines. */
  sealed interface Entry {}

  /** {@code [export ]KEY=value[ # comment]}. */
  record Assignment(String key, String value, boolean export, String comment) implements Entry {}

  /** A blank or comment line, kept as it was. */
  record Other(String text) implements Entry {}

  private final List<Entry> entries;
  private final List<String> warnings;

  IfcfgFile(List<Entry> entries, List<String> warnings) {
    this.entries = List.copyOf(entries);
    this.warnings = List.copyOf(warnings);
  }

  /** An empty file. */
  public static IfcfgFile empty() {
    return new IfcfgFile(List.of(), List.of());
  }

  /** A file with these assignments, in this order. */
  public static IfcfgFile of(Map<String, String> values) {
    IfcfgFile f = empty();
    for (Map.Entry<String, String> e : values.entrySet()) {
      f = f.with(e.getKey(), e.getValue());
    }
    return f;
  }

  /**
   * Reads a file's text; {@code name} (such as {@code ifcfg-bond0}) goes into error messages.
   *
   * @throws ParseException with the line for what is rejected (see the class comment)
   */
  public static IfcfgFile parse(String name, String text) {
    return new ShellReader(name, text).read();
  }

  /** The value of {@code key} (the last assignment, as bash sees it). */
  public Optional<String> get(String key) {
    String v = null;
    for (Entry e : entries) {
      if (e instanceof Assignment a && a.key().equals(key)) {
        v = a.value();
      }
    }
    return Optional.ofNullable(v);
  }

  /** Every key and its effective value, in first-assignment order. */
  public Map<String, String> values() {
    Map<String, String> m = new LinkedHashMap<>();
    for (Entry e : entries) {
      if (e instanceof Assignment a) {
        m.put(a.key(), a.value());
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** What was accepted but is not what bash would do (spaces around {@code =}, repeated keys). */
  public List<String> warnings() {
    return warnings;
  }

  /** This file with {@code key} set: the assignment is replaced in place, or appended. */
  public IfcfgFile with(String key, String value) {
    ShellReader.checkKey(key);
    Objects.requireNonNull(value, "value");
    List<Entry> out = new ArrayList<>();
    boolean done = false;
    for (Entry e : entries) {
      if (e instanceof Assignment a && a.key().equals(key)) {
        if (!done) {
          out.add(new Assignment(key, value, a.export(), a.comment()));
          done = true;
        }
      } else {
        out.add(e);
      }
    }
    if (!done) {
      out.add(new Assignment(key, value, false, ""));
    }
    return new IfcfgFile(out, warnings);
  }

  /** This file without any assignment of {@code key}. */
  public IfcfgFile without(String key) {
    return new IfcfgFile(entries.stream().filter(e -> !(e instanceof Assignment a && a.key().equals(key))).toList(),
        warnings);
  }

  /** The file's text: comments and order kept, every value quoted so bash reads it back exactly. */
  public String render() {
    StringBuilder b = new StringBuilder();
    for (Entry e : entries) {
      if (e instanceof Assignment a) {
        b.append(a.export() ? "export " : "").append(a.key()).append('=').append(ShellReader.quote(a.value()))
            .append(a.comment().isEmpty() ? "" : " " + a.comment()).append('\n');
      } else {
        b.append(((Other) e).text()).append('\n');
      }
    }
    return b.toString();
  }

  /** Two files are equal when they hold the same assignments in the same order and the same comments. */
  @Override
  public boolean equals(Object o) {
    return o instanceof IfcfgFile f && f.entries.equals(entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    return render();
  }
}
