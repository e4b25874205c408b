package dev.midplane.multipath.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.Set;

/**
 * A syntax check of POSIX extended regular expressions as glibc's {@code regcomp(REG_EXTENDED)}
 * compiles them for the blacklist: the errors that make multipath-tools refuse the whole file
 * ("error parsing config file"). It does not match anything; it only finds the errors.
 */
final class PosixRegex {
  private PosixRegex() {}

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
