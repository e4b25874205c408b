package dev.midplane.multipath.dm;

import java.util.Objects;

/**
 * One line of a device-mapper table or status: the sector range and the target's type and
 * parameters.
 *
 * @param start first sector (512 bytes) the target maps
 * @param length number of sectors
 * @param type the target type ({@code multipath}, {@code linear}, …)
 * @param parameters the rest of the line, as printed (trailing space removed)
 */
public record DmTarget(long start, long length, String type, String parameters) {
  /** Bytes per device-mapper sector. */
  public static final int SECTOR = 512;

  public DmTarget {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(parameters, "parameters");
    if (start < 0 || length < 0) {
      throw new IllegalArgumentException("negative sector range " + start + " + " + length);
    }
  }

  /** The size this target maps, in bytes. */
  public long lengthBytes() {
    return Math.multiplyExact(length, SECTOR);
  }

  /** The parameters as a multipath table; fails when the target is not {@code multipath}. */
  public MultipathTable multipathTable() {
    requireMultipath();
    return MultipathTable.parse(parameters);
  }

  /** The parameters as multipath status (for a line of {@code dmsetup status}). */
  public MultipathStatus multipathStatus() {
    requireMultipath();
    return DmsetupOutput.multipathStatus(parameters, "multipath status", 0, parameters);
  }

  private void requireMultipath() {
    if (!type.equals("multipath")) {
      throw new IllegalStateException("a " + type + " target, not multipath");
    }
  }

  /** The line as dmsetup prints it (without the device name). */
  @Override
  public String toString() {
    return start + " " + length + " " + type + (parameters.isEmpty() ? "" : " " + parameters);
  }
}
