package dev.midplane.multipath.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * POSIX extended regular expressions as glibc's {@code regcomp(REG_EXTENDED)} compiles them for
 * multipath-tools: a syntax check that finds the errors that make multipath-tools refuse the whole
 * file ("error parsing config file"), and matching as its {@code regexec} does (unanchored, case
 * sensitive), by translation into a {@link Pattern}.
 */
final class PosixRegex {
  private PosixRegex() {}

  private static final Map<String, String> JAVA_CLASSES = Map.ofEntries(
      Map.entry("alpha", "\\p{Alpha}"), Map.entry("digit", "\\p{Digit}"), Map.entry("alnum", "\\p{Alnum}"),
      Map.entry("upper", "\\p{Upper}"), Map.entry("lower", "\\p{Lower}"), Map.entry("space", "\\s"),
      Map.entry("blank", "\\p{Blank}"), Map.entry("punct", "\\p{Punct}"), Map.entry("print", "\\p{Print}"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("xdigit", "\\p{XDigit}"));

  /**
   * Whether {@code re} matches somewhere in {@code s}, as {@code regexec} without anchors does.
   *
   * @throws IllegalArgumentException when {@code re} does not compile as a POSIX extended regular
   *     expression (multipath-tools refuses a file with such an expression)
   */
  static boolean find(String re, String s) {
    Optional<String> p = problem(re);
    if (p.isPresent()) {
      throw new IllegalArgumentException("regular expression \"" + re + "\" does not compile: " + p.get());
    }
    return Pattern.compile(toJava(re)).matcher(s).find();
  }

  /**
   * The {@link Pattern} syntax of a POSIX extended regular expression that {@link #problem} accepts:
   * bracket expressions with their classes, collating symbols and equivalence classes, GNU's
   * backslash operators ({@code \w \W \s \S \b \B \< \> \` \'}), back references; any other
   * backslashed character stands for itself.
   */
  static String toJava(String re) {
    StringBuilder out = new StringBuilder();
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        char next = re.charAt(i + 1);
        switch (next) {
          case 'w', 'W', 's', 'S', 'b', 'B' -> out.append('\\').append(next);
          case '<', '>' -> out.append("\\b");
          case '`' -> out.append("\\A");
          case '\'' -> out.append("\\z");
          default -> {
            if (next >= '1' && next <= '9') {
              out.append('\\').append(next);
            } else {
              out.append(literal(next));
            }
          }
        }
        i += 2;
      } else if (c == '[') {
        int end = bracketEnd(re, i);
        out.append(bracketToJava(re.substring(i + 1, end)));
        i = end + 1;
      } else if (c == '{' && i + 1 < n && re.charAt(i + 1) == ',') {
        out.append("{0"); // GNU's {,m} is {0,m}
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static String literal(char c) {
    return Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c;
  }

  /** The body of a bracket expression (between its brackets) as a Java character class. */
  private static String bracketToJava(String body) {
    StringBuilder out = new StringBuilder("[");
    int j = 0;
    if (body.startsWith("^")) {
      out.append('^');
      j = 1;
    }
    int n = body.length();
    while (j < n) {
      char c = body.charAt(j);
      if (c == '[' && j + 1 < n && ":.=".indexOf(body.charAt(j + 1)) >= 0) {
        char kind = body.charAt(j + 1);
        int close = body.indexOf(kind + "]", j + 2);
        String name = body.substring(j + 2, close);
        out.append(kind == ':' ? JAVA_CLASSES.get(name) : quoteInClass(name));
        j = close + 2;
        continue;
      }
      if (c == '-' && j > (body.startsWith("^") ? 1 : 0) && j + 1 < n) {
        out.append('-');
      } else {
        out.append(literal(c));
      }
      j++;
    }
    return out.append(']').toString();
  }

  private static String quoteInClass(String s) {
    StringBuilder b = new StringBuilder();
    s.chars().forEach(ch -> b.append(literal((char) ch)));
    return b.toString();
  }

  private static final Set<String> CLASSES = Set.of(
      "alpha", "digit", "alnum", "upper", "lower", "space", "blank", "punct", "print", "graph", "cntrl", "xdigit");

  /** The first syntax error in {@code re}, or empty when glibc would compile it. */
  static Optional<String> problem(String re) {
    Deque<Integer> open = new ArrayDeque<>();
    boolean atom = false;
    int closedGroups = 0;
    int n = re.length();
    int i = 0;
    while (i < n) {
      char c = re.charAt(i);
      switch (c) {
        case '\\' -> {
          if (i + 1 >= n) {
            return Optional.of("trailing backslash");
          }
          char next = re.charAt(i + 1);
          if (next >= '1' && next <= '9' && next - '0' > closedGroups) {
            return Optional.of("back reference \\" + next + " at position " + i + " names no closed group");
          }
          i += 2;
          atom = true;
          continue;
        }
        case '[' -> {
          int end = bracketEnd(re, i);
          if (end < 0) {
            return Optional.of("unterminated bracket expression at position " + i);
          }
          Optional<String> p = bracketProblem(re.substring(i + 1, end));
          if (p.isPresent()) {
            return p;
          }
          i = end + 1;
          atom = true;
          continue;
        }
        case '(' -> {
          open.push(i);
          atom = false;
        }
        case ')' -> atom = true;
        case '|', '^' -> atom = false;
        case '*', '+', '?' -> {
          if (!atom) {
            return Optional.of("'" + c + "' at position " + i + " has nothing to repeat");
          }
        }
        case '{' -> {
          if (!atom) {
            return Optional.of("'{' at position " + i + " has nothing to repeat");
          }
          int close = re.indexOf('}', i);
          if (close < 0 || !re.substring(i + 1, close).matches("\\d+(,\\d*)?|,\\d+")) {
            return Optional.of("invalid interval at position " + i + " (expected {n}, {n,} or {n,m})");
          }
          String[] mm = re.substring(i + 1, close).split(",", -1);
          if (mm.length == 2 && !mm[0].isEmpty() && !mm[1].isEmpty() && Long.parseLong(mm[1]) < Long.parseLong(mm[0])) {
            return Optional.of("invalid interval at position " + i + ": maximum below minimum");
          }
          i = close + 1;
          continue;
        }
        default -> atom = c != '$';
      }
      if (c == ')' && !open.isEmpty()) {
        open.pop();
        closedGroups++;
      }
      i++;
    }
    if (!open.isEmpty()) {
      return Optional.of("unmatched '(' at position " + open.peek());
    }
    return Optional.empty();
  }

  /** The index of the ']' that closes the bracket expression opening at {@code start}, or -1. */
  private static int bracketEnd(String re, int start) {
    int j = start + 1;
    if (j < re.length() && re.charAt(j) == '^') {
      j++;
    }
    if (j < re.length() && re.charAt(j) == ']') {
      j++;
    }
    while (j < re.length()) {
      char c = re.charAt(j);
      if (c == '[' && j + 1 < re.length() && ":.=".indexOf(re.charAt(j + 1)) >= 0) {
        int close = re.indexOf(re.charAt(j + 1) + "]", j + 2);
        if (close < 0) {
          return -1;
        }
        j = close + 2;
        continue;
      }
      if (c == ']') {
        return j;
      }
      j++;
    }
    return -1;
  }

  private static Optional<String> bracketProblem(String body) {
    String b = body.startsWith("^") ? body.substring(1) : body;
    int j = 0;
    while (j < b.length()) {
      if (b.startsWith("[:", j)) {
        int close = b.indexOf(":]", j + 2);
        String name = b.substring(j + 2, close);
        if (!CLASSES.contains(name)) {
          return Optional.of("unknown character class [:" + name + ":]");
        }
        j = close + 2;
        continue;
      }
      if (j + 2 < b.length() && b.charAt(j + 1) == '-' && b.charAt(j + 2) != ']' && b.charAt(j) != '[' && b.charAt(j + 2) != '[') {
        if (b.charAt(j + 2) < b.charAt(j)) {
          return Optional.of("invalid range " + b.substring(j, j + 3) + " in bracket expression");
        }
        j += 3;
        continue;
      }
      j++;
    }
    return Optional.empty();
  }
}
