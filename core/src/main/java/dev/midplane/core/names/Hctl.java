package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Comparator;
import java.util.Objects;

/**
 * A SCSI address host:channel:target:lun, as in {@code /sys/bus/scsi/devices/1:0:0:0}. Parses the
 * bare form and {@code lsscsi}'s bracketed {@code [1:0:0:0]}. The LUN may be up to 64 bits wide.
 */
public final class Hctl implements Comparable<Hctl> {
  private static final String TYPE = "SCSI address (H:C:T:L)";
  private static final Comparator<Hctl> ORDER = Comparator.comparingInt(Hctl::host)
      .thenComparingInt(Hctl::channel)
      .thenComparingInt(Hctl::target)
      .thenComparing(Hctl::lun, Long::compareUnsigned);

  private final int host;
  private final int channel;
  private final int target;
  private final long lun;

  private Hctl(int host, int channel, int target, long lun) {
    this.host = host;
    this.channel = channel;
    this.target = target;
    this.lun = lun;
  }

  public static Hctl of(int host, int channel, int target, long lun) {
    if (host < 0 || channel < 0 || target < 0) {
      throw new InvalidNameException(TYPE, host + ":" + channel + ":" + target + ":" + lun, "numbers must be >= 0");
    }
    return new Hctl(host, channel, target, lun);
  }

  public static Hctl of(String text) {
    NameRules.requireNonNull(TYPE, text);
    String s = text;
    if (s.length() > 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']') {
      s = s.substring(1, s.length() - 1);
    }
    String[] parts = s.split(":", -1);
    if (parts.length != 4 || s.length() > 64) {
      throw new InvalidNameException(TYPE, text, "expected four numbers separated by ':', e.g. 1:0:0:0");
    }
    long[] n = new long[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > (i == 3 ? 20 : 10) || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new InvalidNameException(TYPE, text, "part " + (i + 1) + " is not a decimal number");
      }
      try {
        n[i] = i == 3 ? Long.parseUnsignedLong(p) : Integer.parseInt(p);
      } catch (NumberFormatException e) {
        throw new InvalidNameException(TYPE, text, "part " + (i + 1) + " is out of range");
      }
    }
    return new Hctl((int) n[0], (int) n[1], (int) n[2], n[3]);
  }

  public static boolean isValid(String text) {
    return NameRules.accepts(Hctl::of, text);
  }

  public int host() {
    return host;
  }

  public int channel() {
    return channel;
  }

  public int target() {
    return target;
  }

  public long lun() {
    return lun;
  }

  @Override
  public int compareTo(Hctl o) {
    return ORDER.compare(this, o);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hctl h && h.host == host && h.channel == channel && h.target == target && h.lun == lun;
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, channel, target, lun);
  }

  /** {@code 1:0:0:0}, the sysfs spelling. */
  @Override
  public String toString() {
    return host + ":" + channel + ":" + target + ":" + Long.toUnsignedString(lun);
  }
}
