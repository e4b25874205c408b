package dev.midplane.core.names;

/**
 * A Linux network interface name: {@code eth0}, {@code bond0}, {@code xenbr1}, {@code vif3.0},
 * {@code bond0.100}.
 *
 * <p>The kernel ({@code dev_valid_name}) allows 1–15 bytes without {@code /}, {@code :}, whitespace
 * or NUL, and neither {@code .} nor {@code ..}. This type is stricter because names reach argv and
 * paths: ASCII letters, digits, {@code _ . -} only, starting with a letter, digit or {@code _}
 * (so never with {@code -}, which would read as an option, nor with {@code .}).
 */
public final class InterfaceName extends StringName<InterfaceName> {
  /** IFNAMSIZ is 16 including the terminating NUL. */
  public static final int MAX_LENGTH = 15;

  private static final String TYPE = "interface name";

  private InterfaceName(String value) {
    super(value);
  }

  /** Parses and validates; throws {@link dev.midplane.core.InvalidNameException} naming the rule. */
  public static InterfaceName of(String value) {
    NameRules.requireNonNull(TYPE, value);
    NameRules.requireLength(TYPE, value, 1, MAX_LENGTH);
    NameRules.requireFirstAlnum(TYPE, value, "_");
    NameRules.requireCharset(TYPE, value, "_.-", "only ASCII letters, digits, '_', '.' and '-' are allowed");
    return new InterfaceName(value);
  }

  /** True when {@link #of} would accept the value. */
  public static boolean isValid(String value) {
    return NameRules.accepts(InterfaceName::of, value);
  }

  /** The Xen backend name of domain {@code domid}'s interface {@code index}: {@code vif3.0}. */
  public static InterfaceName xenVif(int domid, int index) {
    if (domid < 0 || index < 0) {
      throw new IllegalArgumentException("domid and index must be >= 0: " + domid + "." + index);
    }
    return of("vif" + domid + "." + index);
  }
}
