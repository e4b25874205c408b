package dev.midplane.xen.sxp;

import java.util.List;
import java.util.Optional;

/**
 * A list. xend's lists are mostly records: a head atom naming the record and the fields as
 * {@code (name value)} children — {@code (domain (domid 3) (name vm1))} — which the lookup methods
 * here serve.
 */
public record SxpList(List<Sxp> items) implements Sxp {
  public SxpList {
    items = List.copyOf(items);
  }

  /** The first item, when it is an atom: {@code domain} for {@code (domain ...)}. */
  public Optional<String> head() {
    return items.isEmpty() ? Optional.empty() : items.get(0).asAtom();
  }

  /** Every child list whose head is {@code name}, in order. */
  public List<SxpList> children(String name) {
    return items.stream()
        .filter(i -> i instanceof SxpList l && l.head().filter(name::equals).isPresent())
        .map(i -> (SxpList) i)
        .toList();
  }

  /** The first child list whose head is {@code name}. */
  public Optional<SxpList> child(String name) {
    return children(name).stream().findFirst();
  }

  /**
   * The value of field {@code name}: the atoms after the head of the first {@code (name ...)}
   * child, joined by one space ({@code (args root=/dev/xvda1 ro)} gives {@code "root=/dev/xvda1
   * ro"}; {@code (bootloader_args )} gives {@code ""}). Empty when there is no such child or it
   * holds lists.
   */
  public Optional<String> value(String name) {
    Optional<SxpList> c = child(name);
    if (c.isEmpty()) {
      return Optional.empty();
    }
    List<Sxp> rest = c.get().items().subList(1, c.get().items().size());
    if (rest.stream().anyMatch(i -> !(i instanceof SxpAtom))) {
      return Optional.empty();
    }
    return Optional.of(String.join(" ", rest.stream().map(i -> ((SxpAtom) i).value()).toList()));
  }

  /** The items after the head. */
  public List<Sxp> tail() {
    return items.isEmpty() ? List.of() : items.subList(1, items.size());
  }

  @Override
  public String toString() {
    return Sxp.compact(this);
  }
}
