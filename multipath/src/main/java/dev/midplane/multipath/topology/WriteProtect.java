package dev.midplane.multipath.topology;

import java.util.Optional;

/** Whether the map is writable ({@code wp=rw}, {@code [rw]}). */
public enum WriteProtect implements Printed {
  RW("rw"),
  RO("ro"),
  UNDEF("undef");

  private static final WriteProtect[] ALL = values();
  private final String text;

  WriteProtect(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The value printed as {@code s}, if any. */
  public static Optional<WriteProtect> fromText(String s) {
    return Printed.lookup(ALL, s);
  }
}
