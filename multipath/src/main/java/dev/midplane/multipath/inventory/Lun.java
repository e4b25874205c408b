package dev.midplane.multipath.inventory;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.Objects;
import java.util.Optional;

/**
 * One inventoried LUN: its WWID, the alias its map gets on every host, optionally the VM whose
 * disk it is, and optionally a note (the comment at the end of its line).
 */
public record Lun(MultipathAlias alias, Wwid wwid, Optional<DomainName> vm, Optional<String> note) {
  public Lun {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(wwid, "wwid");
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(note, "note");
    note = note.map(String::strip).filter(n -> !n.isEmpty());
    note.ifPresent(n -> {
      if (n.chars().anyMatch(c -> c == '\n' || c == '\r' || c == 0)) {
        throw new IllegalArgumentException("a note is one line without NUL");
      }
    });
  }

  /** A LUN with an alias and no VM. */
  public static Lun of(MultipathAlias alias, Wwid wwid) {
    return new Lun(alias, wwid, Optional.empty(), Optional.empty());
  }

  /** The disk of a VM: the alias is the VM's name. */
  public static Lun diskOf(DomainName vm, Wwid wwid) {
    return new Lun(MultipathAlias.forDomain(vm), wwid, Optional.of(vm), Optional.empty());
  }

  /** A further disk of a VM, with its own alias. */
  public static Lun diskOf(DomainName vm, MultipathAlias alias, Wwid wwid) {
    return new Lun(alias, wwid, Optional.of(vm), Optional.empty());
  }

  /** This LUN with a note. */
  public Lun withNote(String text) {
    return new Lun(alias, wwid, vm, Optional.of(text));
  }
}
