package dev.midplane.core.exec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * POSIX shell quoting. The SDK never runs commands through a shell; this exists for two edges only:
 * showing a command to a person (dry runs, logs, error messages) and, for remote hosts, the one
 * place where an argv must become a single string for the transport.
 */
public final class ShellQuoting {
  private ShellQuoting() {}

  /** Quotes one word so that a POSIX shell reads it back as exactly that word. */
  public static String quote(String word) {
    if (word.isEmpty()) {
      return "''";
    }
    boolean safe = true;
    for (int i = 0; i < word.length(); i++) {
      char c = word.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "@%+=:,./_-".indexOf(c) >= 0)) {
        safe = false;
        break;
      }
    }
    if (safe) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Quotes every word and joins them with spaces. */
  public static String join(List<String> argv) {
    return argv.stream().map(ShellQuoting::quote).collect(Collectors.joining(" "));
  }
}
