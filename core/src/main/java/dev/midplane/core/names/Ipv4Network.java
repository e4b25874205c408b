package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Objects;

/**
 * An IPv4 prefix such as {@code 192.0.2.0/24}. {@link #of(String)} is strict and refuses host bits
 * ({@code 192.0.2.1/24}); use {@link #containing(Ipv4Address, int)} to mask an address instead.
 * A bare address parses as a {@code /32}.
 */
public final class Ipv4Network implements Comparable<Ipv4Network> {
  private static final String TYPE = "IPv4 network";
  private final Ipv4Address network;
  private final int prefixLength;

  private Ipv4Network(Ipv4Address network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  public static Ipv4Network of(String text) {
    NameRules.requireNonNull(TYPE, text);
    int slash = text.indexOf('/');
    Ipv4Address address;
    int length;
    try {
      address = Ipv4Address.of(slash < 0 ? text : text.substring(0, slash));
    } catch (InvalidNameException e) {
      throw new InvalidNameException(TYPE, text, e.rule());
    }
    if (slash < 0) {
      length = 32;
    } else {
      String len = text.substring(slash + 1);
      if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(c -> c >= '0' && c <= '9')
          || (len.length() > 1 && len.charAt(0) == '0')) {
        throw new InvalidNameException(TYPE, text, "prefix length must be a decimal 0–32");
      }
      length = Integer.parseInt(len);
      if (length > 32) {
        throw new InvalidNameException(TYPE, text, "prefix length must be 0–32");
      }
    }
    if ((address.bits() & ~mask(length)) != 0) {
      throw new InvalidNameException(
          TYPE, text, "host bits are set; the network is " + containing(address, length));
    }
    return new Ipv4Network(address, length);
  }

  public static boolean isValid(String text) {
    return NameRules.accepts(Ipv4Network::of, text);
  }

  /** The network of the given length that contains {@code address}. */
  public static Ipv4Network containing(Ipv4Address address, int prefixLength) {
    if (prefixLength < 0 || prefixLength > 32) {
      throw new IllegalArgumentException("prefix length must be 0–32: " + prefixLength);
    }
    return new Ipv4Network(Ipv4Address.fromBits(address.bits() & mask(prefixLength)), prefixLength);
  }

  private static int mask(int length) {
    return length == 0 ? 0 : -1 << (32 - length);
  }

  public Ipv4Address network() {
    return network;
  }

  public int prefixLength() {
    return prefixLength;
  }

  public boolean contains(Ipv4Address address) {
    return (address.bits() & mask(prefixLength)) == network.bits();
  }

  public boolean contains(Ipv4Network other) {
    return other.prefixLength >= prefixLength && contains(other.network);
  }

  @Override
  public int compareTo(Ipv4Network o) {
    int c = network.compareTo(o.network);
    return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ipv4Network other && other.network.equals(network) && other.prefixLength == prefixLength;
  }

  @Override
  public int hashCode() {
    return Objects.hash(network, prefixLength);
  }

  @Override
  public String toString() {
    return network + "/" + prefixLength;
  }
}
