package dev.midplane.multipath.topology;

import java.util.Optional;

/** The SCSI device's state as multipath reads it from sysfs ({@code %o}). */
public enum DeviceState implements Printed {
  RUNNING("running"),
  OFFLINE("offline"),
  /** The path is not known to sysfs (it vanished). */
  UNKNOWN("unknown");

  private static final DeviceState[] ALL = values();
  private final String text;

  DeviceState(String text) {
    this.text = text;
  }

  @Override
  public String text() {
    return text;
  }

  /** The value printed as {@code s}, if any. */
  public static Optional<DeviceState> fromText(String s) {
    return Printed.lookup(ALL, s);
  }
}
