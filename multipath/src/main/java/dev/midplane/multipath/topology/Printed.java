package dev.midplane.multipath.topology;

import java.util.Optional;

/** A value multipath prints as a fixed word; lets the state enums share their lookup. */
interface Printed {
  /** The word multipath prints. */
  String text();

  static <E extends Enum<E> & Printed> Optional<E> lookup(E[] values, String text) {
    for (E v : values) {
      if (v.text().equals(text)) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }
}
