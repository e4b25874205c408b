package dev.midplane.xen.sxp;

import java.util.Objects;

/** An atom: any text, including the empty text (written {@code ''}). */
public record SxpAtom(String value) implements Sxp {
  public SxpAtom {
    Objects.requireNonNull(value, "value");
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("an S-expression atom cannot contain NUL");
    }
  }

  @Override
  public String toString() {
    return SxpWriter.atom(value);
  }
}
