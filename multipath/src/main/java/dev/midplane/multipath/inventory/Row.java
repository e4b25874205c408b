package dev.midplane.multipath.inventory;

import java.util.Objects;
import java.util.Optional;

/** A line of the inventory file: an entry, or a comment or blank line kept verbatim. */
record Row(Optional<Lun> lun, String text) {
  Row {
    Objects.requireNonNull(lun, "lun");
    Objects.requireNonNull(text, "text");
  }

  static Row of(Lun lun) {
    return new Row(Optional.of(lun), "");
  }

  static Row text(String line) {
    String s = line.strip();
    if (!s.isEmpty() && !s.startsWith("#")) {
      throw new IllegalArgumentException("not a comment or blank line: " + line);
    }
    return new Row(Optional.empty(), line);
  }
}
