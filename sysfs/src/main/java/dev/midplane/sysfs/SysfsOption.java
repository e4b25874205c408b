package dev.midplane.sysfs;

import java.util.Locale;
import java.util.Optional;

/**
 * An option value the kernel shows as a word and a number ({@code active-backup 1},
 * {@code all 3}, {@code none 0}) and accepts back as either: {@link BondMode}, {@link ArpValidate},
 * {@link FailOverMac}, {@link PrimaryReselect}.
 */
public interface SysfsOption {
  /** The constant's name (enums implement it). */
  String name();

  /** The constant's position; the constants are declared in the kernel's order. */
  int ordinal();

  /** The word, as written to sysfs and to {@code ip link ... type bond}: by default the name in lower case. */
  default String option() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The kernel's number for the value: by default its position. */
  default int number() {
    return ordinal();
  }

  /** What reading the attribute returns: the word, a space, the number. */
  default String sysfs() {
    return option() + " " + number();
  }

  /** The value whose word or number is the first word of {@code text}, ignoring case. */
  static <E extends SysfsOption> Optional<E> parse(E[] values, String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    int sp = s.indexOf(' ');
    String word = sp < 0 ? s : s.substring(0, sp);
    for (E v : values) {
      if (v.option().equals(word) || Integer.toString(v.number()).equals(word)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
