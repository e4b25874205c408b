package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;

/**
 * A Xen domain name ({@code name=} in a domain config): ASCII letters, digits, {@code _ . -},
 * 1–64 characters, starting with a letter, digit or {@code _}. A name made only of digits is
 * refused because {@code xl} and {@code xm} would take it for a domain id; {@code (null)} (how the
 * toolstacks show a dying domain) cannot occur.
 */
public final class DomainName extends StringName<DomainName> {
  public static final int MAX_LENGTH = 64;
  /** The control domain. */
  public static final DomainName DOMAIN0 = new DomainName("Domain-0");

  private static final String TYPE = "Xen domain name";

  private DomainName(String value) {
    super(value);
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
    return NameRules.accepts(DomainName::of, value);
  }

  public boolean isDomain0() {
    return equals(DOMAIN0);
  }
}
