package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Objects;

/**
 * A Xen domain name ({@code name=} in a domain config): ASCII letters, digits, {@code _ . -},
 * 1–64 characters, starting with a letter, digit or {@code _}. A name made only of digits is
 * refused because {@code xl} and {@code xm} would take it for a domain id; {@code (null)} (how the
 * toolstacks show a dying domain) cannot occur.
 */
public final class DomainName implements Comparable<DomainName> {
  public static final int MAX_LENGTH = 64;
  /** The control domain. */
  public static final DomainName DOMAIN0 = new DomainName("Domain-0");

  private static final String TYPE = "Xen domain name";
  private final String value;

  private DomainName(String value) {
    this.value = value;
  }

  public static DomainName of(String value) {
    NameRules.requireNonNull(TYPE, value);
    NameRules.requireLength(TYPE, value, 1, MAX_LENGTH);
    NameRules.requireFirstAlnum(TYPE, value, "_");
    NameRules.requireCharset(TYPE, value, "_.-", "only ASCII letters, digits, '_', '.' and '-' are allowed");
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new InvalidNameException(TYPE, value, "must not be all digits (xl/xm would read it as a domain id)");
    }
    return new DomainName(value);
  }

  public static boolean isValid(String value) {
    try {
      of(value);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public String value() {
    return value;
  }

  public boolean isDomain0() {
    return equals(DOMAIN0);
  }

  @Override
  public int compareTo(DomainName o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DomainName other && other.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
