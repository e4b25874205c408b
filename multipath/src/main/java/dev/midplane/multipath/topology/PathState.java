package dev.midplane.multipath.topology;

import java.util.Optional;

/** Whether device-mapper uses a path ({@code %t}: {@code active}, {@code failed}). */
public enum PathState implements Printed {
  ACTIVE("active"),
  FAILED("failed"),
  /** Not known (the map is not loaded yet, a dry run). */
  UNDEF("undef");

  private static final PathState[] ALL = values();
  private final String text;

  PathState(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The value printed as {@code s}, if any. */
  public static Optional<PathState> fromText(String s) {
    return Printed.lookup(ALL, s);
  }
}
