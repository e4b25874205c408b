package dev.midplane.multipath.topology;

import java.util.Optional;

/** What the path checker last found ({@code %T}: {@code ready}, {@code faulty}, …). */
public enum CheckerState implements Printed {
  READY("ready"),
  FAULTY("faulty"),
  SHAKY("shaky"),
  /** Usable only after a failover (standby port of an active/passive array). */
  GHOST("ghost"),
  PENDING("i/o pending"),
  TIMEOUT("i/o timeout"),
  DELAYED("delayed"),
  /** Not checked ({@code multipath -l} does not run checkers). */
  UNDEF("undef");

  private static final CheckerState[] ALL = values();
  private final String text;

  CheckerState(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** True for the states in which the path can carry I/O now. */
  public boolean usable() {
    return this == READY || this == GHOST;
  }

  /** The value printed as {@code s}, if any. */
  public static Optional<CheckerState> fromText(String s) {
    return Printed.lookup(ALL, s);
  }
}
