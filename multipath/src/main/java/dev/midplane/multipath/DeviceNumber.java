package dev.midplane.multipath;

import dev.midplane.core.InvalidNameException;

/**
 * A block device number, {@code major:minor}, as device-mapper tables, {@code dmsetup ls} and
 * {@code multipath -ll} print it ({@code 8:16}, {@code 254:0}). Linux allows a 12-bit major and a
 * 20-bit minor.
 */
public record DeviceNumber(int major, int minor) implements Comparable<DeviceNumber> {
  private static final String TYPE = "device number (major:minor)";
  /** The largest major number Linux allows (12 bits). */
  public static final int MAX_MAJOR = (1 << 12) - 1;
  /** The largest minor number Linux allows (20 bits). */
  public static final int MAX_MINOR = (1 << 20) - 1;

  public DeviceNumber {
    if (major < 0 || major > MAX_MAJOR || minor < 0 || minor > MAX_MINOR) {
      throw new InvalidNameException(TYPE, major + ":" + minor, "major must be 0–" + MAX_MAJOR + " and minor 0–" + MAX_MINOR);
    }
  }

  /** Parses {@code "8:16"}; anything else throws {@link InvalidNameException}. */
  public static DeviceNumber parse(String text) {
    if (text == null) {
      throw new InvalidNameException(TYPE, null, "must not be null");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1 || colon > 4 || text.length() - colon - 1 > 7) {
      throw new InvalidNameException(TYPE, text, "expected two decimal numbers separated by ':', e.g. 8:16");
    }
    return new DeviceNumber(number(text, 0, colon), number(text, colon + 1, text.length()));
  }

  /** True when {@code text} is a valid {@code major:minor}. */
  public static boolean isValid(String text) {
    try {
      parse(text);
      return true;
    } catch (InvalidNameException e) {
      return false;
    }
  }

  private static int number(String text, int from, int to) {
    int n = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new InvalidNameException(TYPE, text, "expected two decimal numbers separated by ':', e.g. 8:16");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  @Override
  public int compareTo(DeviceNumber o) {
    return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
  }

  /** {@code 8:16}. */
  @Override
  public String toString() {
    return major + ":" + minor;
  }
}
