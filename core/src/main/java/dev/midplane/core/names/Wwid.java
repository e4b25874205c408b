package dev.midplane.core.names;

import dev.midplane.core.InvalidNameException;
import java.util.Locale;

/**
 * A LUN's World Wide Identifier as device-mapper multipath uses it: the map's uuid suffix
 * ({@code dm/uuid} = {@code mpath-<wwid>}), the key in {@code multipaths} and
 * {@code blacklist_exceptions}, and the name a map gets when it has no alias. Examples:
 * {@code 3600a0b800026b2820000004d4d2f6b4b} (NAA, prefix {@code 3}),
 * {@code 1Linux_scsi_debug_2000} (T10 vendor id from udev's {@code ID_SERIAL}).
 *
 * <p>Rules: 1–128 characters (multipath's {@code WWID_SIZE}), ASCII letters, digits,
 * {@code _ . : -} and inner spaces (some T10 identifiers keep them); no quotes, backslashes,
 * slashes or shell metacharacters, no leading {@code -} and no leading or trailing space.
 *
 * <p>The kernel's sysfs {@code wwid} attribute spells the same identifier differently
 * ({@code naa.600a0b80…}); {@link #fromSysfs(String)} converts it the way {@code scsi_id} does.
 */
public final class Wwid extends StringName<Wwid> {
  public static final int MAX_LENGTH = 128;
  private static final String TYPE = "WWID";

  private Wwid(String value) {
    super(value);
  }

  public static Wwid of(String value) {
    NameRules.requireNonNull(TYPE, value);
    NameRules.requireLength(TYPE, value, 1, MAX_LENGTH);
    NameRules.requireFirstAlnum(TYPE, value, "_");
    NameRules.requireCharset(TYPE, value, "_.:- ", "only ASCII letters, digits, '_', '.', ':', '-' and inner spaces are allowed");
    if (value.endsWith(" ")) {
      throw new InvalidNameException(TYPE, value, "must not end with a space");
    }
    return new Wwid(value);
  }

  public static boolean isValid(String value) {
    return NameRules.accepts(Wwid::of, value);
  }

  /**
   * Converts the kernel's sysfs {@code wwid} attribute (VPD page 0x83 designator with a type
   * prefix) to the identifier {@code scsi_id --whitelisted} and multipath print: {@code naa.X} →
   * {@code 3X}, {@code eui.X} → {@code 2X}, {@code t10.X} → {@code 1X} with runs of whitespace
   * replaced by one {@code _}. Hex digits are lower-cased. Any other value is taken as it is.
   *
   * <p>Some LUNs (scsi_debug's among them) are identified by multipath through udev's
   * {@code ID_SERIAL}, which can differ from the sysfs designator; callers that can read udev's
   * database should prefer it.
   */
  public static Wwid fromSysfs(String sysfsWwid) {
    NameRules.requireNonNull(TYPE, sysfsWwid);
    String s = sysfsWwid.strip();
    String lower = s.toLowerCase(Locale.ROOT);
    if (lower.startsWith("naa.")) {
      return of("3" + lower.substring(4));
    }
    if (lower.startsWith("eui.")) {
      return of("2" + lower.substring(4));
    }
    if (lower.startsWith("t10.")) {
      return of("1" + s.substring(4).strip().replaceAll("\\s+", "_"));
    }
    return of(s);
  }

  /** The device-mapper uuid of the multipath map for this LUN: {@code mpath-<wwid>}. */
  public String dmUuid() {
    return "mpath-" + value();
  }
}
