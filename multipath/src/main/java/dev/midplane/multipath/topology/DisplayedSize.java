package dev.midplane.multipath.topology;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A map size as multipath prints it ({@code size=64M}, {@code size=1.0G}, {@code [size=10 GB]}):
 * the size in KiB divided by 1024 until it is below 1024 (up to P), printed with one decimal below
 * 10 and none above — a rounded figure. {@link #of(long)} prints a byte count exactly as
 * multipath-tools' {@code snprint_size()} does, so {@link #matches(long)} can tell whether an exact
 * size (from sysfs or the dm table) is consistent with what multipath shows.
 *
 * @param value the printed number
 * @param unit one of {@code K M G T P} (powers of 1024 of a KiB)
 */
public record DisplayedSize(BigDecimal value, char unit) {
  private static final String UNITS = "KMGTP";
  private static final Pattern TEXT = Pattern.compile("(\\d{1,12}(?:\\.\\d{1,3})?) ?([KMGTP])B?");

  public DisplayedSize {
    Objects.requireNonNull(value, "value");
    if (UNITS.indexOf(unit) < 0) {
      throw new IllegalArgumentException("unit must be one of K, M, G, T, P: " + unit);
    }
    if (value.signum() < 0) {
      throw new IllegalArgumentException("a size is not negative: " + value);
    }
  }

  /**
   * Parses {@code 64M}, {@code 1.0G} or the 0.4.x spelling {@code 10 GB}.
   *
   * @throws IllegalArgumentException for anything else
   */
  public static DisplayedSize parse(String text) {
    Matcher m = TEXT.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a multipath size (e.g. 64M, 1.0G): " + text);
    }
    return new DisplayedSize(new BigDecimal(m.group(1)), m.group(2).charAt(0));
  }

  /** How multipath prints a size of {@code bytes} (rounded down to 512-byte sectors first). */
  public static DisplayedSize of(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative size: " + bytes);
    }
    long sectors = bytes / 512;
    // The same float arithmetic and printf rounding as libmultipath's snprint_size().
    float s = (float) (sectors >> 1);
    int u = 0;
    while (s >= 1024 && u < UNITS.length() - 1) {
      s = s / 1024;
      u++;
    }
    BigDecimal exact = new BigDecimal((double) s);
    return new DisplayedSize(exact.setScale(s < 10 ? 1 : 0, RoundingMode.HALF_EVEN), UNITS.charAt(u));
  }

  /** True when multipath would print a size of {@code bytes} as this. */
  public boolean matches(long bytes) {
    return of(bytes).equals(this);
  }

  /** The printed figure in bytes; the true size is within the rounding of the last digit. */
  public long approximateBytes() {
    BigDecimal factor = BigDecimal.valueOf(1024L).pow(UNITS.indexOf(unit) + 1);
    return value.multiply(factor).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  /** The text as multipath-tools 0.4.9 and later print it: {@code 64M}, {@code 1.0G}. */
  public String text() {
    return value.toPlainString() + unit;
  }

  @Override
  public String toString() {
    return text();
  }
}
