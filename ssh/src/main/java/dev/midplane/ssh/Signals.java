package dev.midplane.ssh;

import java.util.Map;
import java.util.OptionalInt;

/**
 * Signal names as SSH reports them ({@code exit-signal "KILL"}), turned into the exit code a local
 * process killed by that signal has in Java and in shells: 128 + the Linux signal number.
 */
final class Signals {
  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
      Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8),
      Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
      Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("XCPU", 24),
      Map.entry("XFSZ", 25));

  private Signals() {}

  /** 128 + the signal's number; empty for a name Linux does not have. */
  static OptionalInt exitCode(String name) {
    String n = name.startsWith("SIG") ? name.substring(3) : name;
    Integer number = NUMBERS.get(n);
    return number == null ? OptionalInt.empty() : OptionalInt.of(128 + number);
  }
}
