package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;

/**
 * An IPv4 address in strict dotted-quad form. Octets with leading zeros ({@code 010}) are refused
 * because some tools read them as octal; so are fewer than four parts ({@code 10.1}), which
 * {@code inet_aton} would silently accept.
 */
public final class Ipv4Address implements Comparable<Ipv4Address> {
  private static final String TYPE = "IPv4 address";
  private final int bits;

  private Ipv4Address(int bits) {
    this.bits = bits;
  }

  public static Ipv4Address of(String text) {
    NameRules.requireNonNull(TYPE, text);
    if (text.isEmpty() || text.length() > 15) {
      throw new InvalidNameException(TYPE, text, "expected four decimal octets, e.g. 192.0.2.10");
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      throw new InvalidNameException(TYPE, text, "expected four decimal octets, e.g. 192.0.2.10");
    }
    int bits = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3) {
        throw new InvalidNameException(TYPE, text, "each octet is 1–3 decimal digits");
      }
      for (int i = 0; i < p.length(); i++) {
        char c = p.charAt(i);
        if (c < '0' || c > '9') {
          throw new InvalidNameException(TYPE, text, "not a decimal digit: " + NameRules.describe(c));
        }
      }
      if (p.length() > 1 && p.charAt(0) == '0') {
        throw new InvalidNameException(TYPE, text, "octet with a leading zero is ambiguous (octal?): " + p);
      }
      int v = Integer.parseInt(p);
      if (v > 255) {
        throw new InvalidNameException(TYPE, text, "octet out of range 0–255: " + v);
      }
      bits = (bits << 8) | v;
    }
    return new Ipv4Address(bits);
  }

  public static boolean isValid(String text) {
    return NameRules.accepts(Ipv4Address::of, text);
  }

  public static Ipv4Address fromBits(int bits) {
    return new Ipv4Address(bits);
  }

  public int bits() {
    return bits;
  }

  public int octet(int i) {
    if (i < 0 || i > 3) {
      throw new IndexOutOfBoundsException(i);
    }
    return (bits >>> (8 * (3 - i))) & 0xff;
  }

  public boolean isUnspecified() {
    return bits == 0;
  }

  public boolean isLimitedBroadcast() {
    return bits == -1;
  }

  public boolean isMulticast() {
    return (octet(0) & 0xf0) == 0xe0;
  }

  @Override
  public int compareTo(Ipv4Address o) {
    return Integer.compareUnsigned(bits, o.bits);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv4Address other && other.bits == bits;
  }

  @Override
  public int hashCode() {
    return bits;
  }

  @Override
  public String toString() {
    return octet(0) + "." + octet(1) + "." + octet(2) + "." + octet(3);
  }
}
