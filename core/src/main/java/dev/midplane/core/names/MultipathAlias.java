package dev.midplane.core.names;

import java.util.regex.Pattern;

/**
 * The name of a device-mapper multipath map, which becomes {@code /dev/mapper/<alias>}; in this SDK
 * usually the name of the VM whose disk the LUN is. ASCII letters, digits, {@code _ . + -}, 1–127
 * characters (device-mapper's name limit), starting with a letter, digit or {@code _}.
 *
 * <p>A syntactically valid alias may still look like one of multipath's generated
 * user-friendly names ({@code mpatha}, {@code mpath12}); {@link #looksGenerated()} says so, and the
 * shared inventory refuses such aliases because they would collide on some host.
 */
public final class MultipathAlias extends StringName<MultipathAlias> {
  public static final int MAX_LENGTH = 127;
  private static final Pattern GENERATED = Pattern.compile("mpath([a-z]+|[0-9]+)");
  private static final String TYPE = "multipath alias";

  private MultipathAlias(String value) {
    super(value);
  }

  public static MultipathAlias of(String value) {
    NameRules.requireNonNull(TYPE, value);
    NameRules.requireLength(TYPE, value, 1, MAX_LENGTH);
    NameRules.requireFirstAlnum(TYPE, value, "_");
    NameRules.requireCharset(TYPE, value, "_.+-", "only ASCII letters, digits, '_', '.', '+' and '-' are allowed");
    return new MultipathAlias(value);
  }

  public static boolean isValid(String value) {
    return NameRules.accepts(MultipathAlias::of, value);
  }

  /** The alias of a VM's disk: the VM's name, which is always a valid alias. */
  public static MultipathAlias forDomain(DomainName domain) {
    return of(domain.value());
  }

  /** True for names of the shape multipath generates itself ({@code mpatha}, {@code mpath0}). */
  public boolean looksGenerated() {
    return GENERATED.matcher(value()).matches();
  }
}
