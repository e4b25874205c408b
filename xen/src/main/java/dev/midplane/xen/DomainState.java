package dev.midplane.xen;

import java.util.EnumSet;
import java.util.Set;

/**
 * One flag of the six-letter state column of {@code xl list} and {@code xm list} ({@code r-----},
 * {@code -b----}, {@code --p--d}): each position is its letter or {@code -}.
 */
public enum DomainState {
  /** {@code r}: running on a CPU now. */
  RUNNING('r'),
  /** {@code b}: blocked, waiting for an event (an idle guest). */
  BLOCKED('b'),
  /** {@code p}: paused by the administrator. */
  PAUSED('p'),
  /** {@code s}: shut down (or suspended), not yet destroyed. */
  SHUTDOWN('s'),
  /** {@code c}: crashed. */
  CRASHED('c'),
  /** {@code d}: dying, being destroyed. */
  DYING('d');

  private final char letter;

  DomainState(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  /**
   * The flags of a six-letter state column.
   *
   * @throws IllegalArgumentException when the text is not six positions each holding its letter
   *     or {@code -}
   */
  public static Set<DomainState> parse(String column) {
    DomainState[] all = values();
    if (column.length() != all.length) {
      throw new IllegalArgumentException("a state column has " + all.length + " positions (rbpscd), got '" + column + "'");
    }
    EnumSet<DomainState> out = EnumSet.noneOf(DomainState.class);
    for (int i = 0; i < all.length; i++) {
      char c = column.charAt(i);
      if (c == all[i].letter) {
        out.add(all[i]);
      } else if (c != '-') {
        throw new IllegalArgumentException("position " + (i + 1) + " of a state column is '" + all[i].letter
            + "' or '-', got '" + c + "' in '" + column + "'");
      }
    }
    return out;
  }

  /** The six-letter column for these flags, as the toolstacks print it. */
  public static String render(Set<DomainState> flags) {
    StringBuilder b = new StringBuilder();
    for (DomainState s : values()) {
      b.append(flags.contains(s) ? s.letter : '-');
    }
    return b.toString();
  }
}
