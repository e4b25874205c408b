package dev.midplane.multipath.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code multipaths { multipath { … } }} entry: the WWID it applies to, its alias if it sets
 * one, and the whole sub-section for its other settings. Values are as the file wrote them; the
 * inventory ({@link dev.midplane.multipath.inventory}) is where they are validated as
 * {@link dev.midplane.core.names.Wwid} and {@link dev.midplane.core.names.MultipathAlias}.
 */
public record MultipathEntry(String wwid, Optional<String> alias, Section section) {
  public MultipathEntry {
    Objects.requireNonNull(wwid, "wwid");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(section, "section");
  }
}
