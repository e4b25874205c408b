package dev.midplane.sysfs;

import dev.midplane.core.InvalidNameException;
import java.util.Locale;

/**
 * A Fibre Channel World Wide Name (64 bits): a port name (WWPN) or node name (WWNN). Parses the
 * spellings in use — sysfs {@code 0x500a098012345678}, colon-separated
 * {@code 50:0a:09:80:12:34:56:78} (switches, {@code multipath -ll} of some arrays) and bare
 * {@code 500a098012345678} — and prints sysfs's form.
 */
public record Wwn(long bits) implements Comparable<Wwn> {
  private static final String TYPE = "FC world wide name";

  /** Parses any of the accepted spellings; throws {@link InvalidNameException} otherwise. */
  public static Wwn of(String text) {
    if (text == null) {
      throw new InvalidNameException(TYPE, null, "must not be null");
    }
    String s = text.strip();
    String hex;
    if (s.startsWith("0x") || s.startsWith("0X")) {
      hex = s.substring(2);
    } else if (s.indexOf(':') >= 0) {
      String[] parts = s.split(":", -1);
      if (parts.length != 8) {
        throw new InvalidNameException(TYPE, text, "expected 8 colon-separated octets");
      }
      StringBuilder b = new StringBuilder(16);
      for (String p : parts) {
        if (p.length() != 2) {
          throw new InvalidNameException(TYPE, text, "each octet is 2 hex digits");
        }
        b.append(p);
      }
      hex = b.toString();
    } else {
      hex = s;
    }
    if (hex.isEmpty() || hex.length() > 16) {
      throw new InvalidNameException(TYPE, text, "expected up to 16 hex digits, e.g. 0x500a098012345678");
    }
    long v = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0 || hex.charAt(i) > 0x7f) {
        throw new InvalidNameException(TYPE, text, "not a hex digit at position " + i);
      }
      v = (v << 4) | d;
    }
    return new Wwn(v);
  }

  /** True when {@link #of} would accept the text. */
  public static boolean isValid(String text) {
    try {
      of(text);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** sysfs's spelling: {@code 0x} and 16 lower-case hex digits. */
  public String sysfs() {
    return String.format(Locale.ROOT, "0x%016x", bits);
  }

  /** Colon-separated octets: {@code 50:0a:09:80:12:34:56:78}. */
  public String colonSeparated() {
    StringBuilder b = new StringBuilder(23);
    for (int i = 7; i >= 0; i--) {
      b.append(String.format(Locale.ROOT, "%02x", (bits >>> (8 * i)) & 0xff));
      if (i > 0) {
        b.append(':');
      }
    }
    return b.toString();
  }

  @Override
  public int compareTo(Wwn o) {
    return Long.compareUnsigned(bits, o.bits);
  }

  @Override
  public String toString() {
    return sysfs();
  }
}
