package dev.midplane.sysfs;

/**
 * A device number as sysfs prints it in {@code dev} and names it in {@code /sys/dev/block}:
 * {@code 8:16}, {@code 253:0}. Also the key of udev's database ({@code /run/udev/data/b8:16}).
 */
public record DevNumber(int major, int minor) implements Comparable<DevNumber> {
  public DevNumber {
    if (major < 0 || minor < 0) {
      throw new IllegalArgumentException("device numbers are non-negative: " + major + ":" + minor);
    }
  }

  /**
   * Parses {@code MAJ:MIN} (trailing whitespace allowed, as in a sysfs {@code dev} file).
   *
   * @throws IllegalArgumentException when the text is not two decimal numbers separated by ':'
   */
  public static DevNumber parse(String text) {
    String s = text.strip();
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1 || s.indexOf(':', colon + 1) >= 0) {
      throw new IllegalArgumentException("not a device number (MAJ:MIN): '" + text + "'");
    }
    try {
      return new DevNumber(parseDecimal(s, 0, colon), parseDecimal(s, colon + 1, s.length()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a device number (MAJ:MIN): '" + text + "'", e);
    }
  }

  private static int parseDecimal(String s, int from, int to) {
    if (to - from > 9) {
      throw new NumberFormatException("too long");
    }
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        throw new NumberFormatException("not a digit: " + c);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** The name of udev's database entry for this block device: {@code b8:16}. */
  public String udevBlockKey() {
    return "b" + major + ":" + minor;
  }

  @Override
  public int compareTo(DevNumber o) {
    int c = Integer.compare(major, o.major);
    return c != 0 ? c : Integer.compare(minor, o.minor);
  }

  @Override
  public String toString() {
    return major + ":" + minor;
  }
}
