package dev.midplane.multipath.topology;

import java.util.Optional;

/** The state of a path group as multipath prints it ({@code status=active}, {@code [enabled]}). */
public enum PathGroupState implements Printed {
  /** The group I/O goes to. */
  ACTIVE("active"),
  /** A group that can take over. */
  ENABLED("enabled"),
  /** A group the kernel bypasses. */
  DISABLED("disabled"),
  /** Not known (dry runs, {@code multipath -l} on some versions). */
  UNDEF("undef");

  private static final PathGroupState[] ALL = values();
  private final String text;

  PathGroupState(String text) {
    this.text = text;
  }

  /** The word multipath prints. */
  @Override
  public String text() {
    return text;
  }

  /** The value printed as {@code s}, if any. */
  public static Optional<PathGroupState> fromText(String s) {
    return Printed.lookup(ALL, s);
  }
}
