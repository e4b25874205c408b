package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Random;

/**
 * A 48-bit Ethernet address. Parses the common notations — {@code 00:16:3e:0a:0b:0c},
 * {@code 00-16-3E-0A-0B-0C}, {@code 0016.3e0a.0b0c}, {@code 00163e0a0b0c} and the unpadded form
 * {@code ebtables -L} prints ({@code 0:16:3e:a:b:c}) — and prints the canonical lower-case,
 * colon-separated, zero-padded form.
 */
public final class MacAddress implements Comparable<MacAddress> {
  private static final String TYPE = "MAC address";
  /** Xen's OUI, the default prefix for vif MACs. */
  public static final MacAddress XEN_OUI_BASE = new MacAddress(0x00163e000000L);
  public static final MacAddress BROADCAST = new MacAddress(0xffffffffffffL);

  private final long bits;

  private MacAddress(long bits) {
    this.bits = bits;
  }

  public static MacAddress of(String text) {
    NameRules.requireNonNull(TYPE, text);
    if (text.length() > 17 || text.isEmpty()) {
      throw new InvalidNameException(TYPE, text, "expected 6 octets, e.g. 00:16:3e:0a:0b:0c");
    }
    long bits;
    if (text.indexOf(':') >= 0 || text.indexOf('-') >= 0) {
      char sep = text.indexOf(':') >= 0 ? ':' : '-';
      String[] parts = text.split(sep == ':' ? ":" : "-", -1);
      if (parts.length != 6) {
        throw new InvalidNameException(TYPE, text, "expected 6 octets separated by '" + sep + "'");
      }
      bits = 0;
      for (String p : parts) {
        if (p.isEmpty() || p.length() > 2) {
          throw new InvalidNameException(TYPE, text, "each octet is 1 or 2 hex digits");
        }
        bits = (bits << 8) | hex(text, p);
      }
    } else if (text.indexOf('.') >= 0) {
      String[] parts = text.split("\\.", -1);
      if (parts.length != 3) {
        throw new InvalidNameException(TYPE, text, "dotted form is three groups of 4 hex digits, e.g. 0016.3e0a.0b0c");
      }
      bits = 0;
      for (String p : parts) {
        if (p.length() != 4) {
          throw new InvalidNameException(TYPE, text, "dotted form is three groups of 4 hex digits, e.g. 0016.3e0a.0b0c");
        }
        bits = (bits << 16) | hex(text, p);
      }
    } else {
      if (text.length() != 12) {
        throw new InvalidNameException(TYPE, text, "bare form is 12 hex digits");
      }
      bits = hex(text, text);
    }
    return new MacAddress(bits);
  }

  public static boolean isValid(String text) {
    return NameRules.accepts(MacAddress::of, text);
  }

  /** Builds an address from its 48 low-order bits. */
  public static MacAddress fromBits(long bits) {
    if ((bits & ~0xffffffffffffL) != 0) {
      throw new IllegalArgumentException("more than 48 bits: " + Long.toHexString(bits));
    }
    return new MacAddress(bits);
  }

  /** A random unicast address under Xen's OUI {@code 00:16:3e}, as xl picks for a vif. */
  public static MacAddress randomXen(Random random) {
    return new MacAddress(XEN_OUI_BASE.bits | (random.nextInt(1 << 24) & 0x7fffffL));
  }

  private static long hex(String whole, String digits) {
    long v = 0;
    for (int i = 0; i < digits.length(); i++) {
      int d = Character.digit(digits.charAt(i), 16);
      if (d < 0 || digits.charAt(i) > 0x7f) {
        throw new InvalidNameException(TYPE, whole, "not a hex digit: " + NameRules.describe(digits.charAt(i)));
      }
      v = (v << 4) | d;
    }
    return v;
  }

  public long bits() {
    return bits;
  }

  /** Octet {@code i} (0 is the first on the wire). */
  public int octet(int i) {
    if (i < 0 || i > 5) {
      throw new IndexOutOfBoundsException(i);
    }
    return (int) ((bits >>> (8 * (5 - i))) & 0xff);
  }

  /** Group bit set: multicast, which includes broadcast. */
  public boolean isMulticast() {
    return (octet(0) & 1) != 0;
  }

  public boolean isBroadcast() {
    return bits == BROADCAST.bits;
  }

  public boolean isUnicast() {
    return !isMulticast();
  }

  public boolean isLocallyAdministered() {
    return (octet(0) & 2) != 0;
  }

  public boolean isZero() {
    return bits == 0;
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(bits, o.bits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress other && other.bits == bits;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bits);
  }

  /** Canonical form: {@code 00:16:3e:0a:0b:0c}. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        b.append(':');
      }
      int o = octet(i);
      b.append(Character.forDigit(o >> 4, 16)).append(Character.forDigit(o & 0xf, 16));
    }
    return b.toString();
  }
}
