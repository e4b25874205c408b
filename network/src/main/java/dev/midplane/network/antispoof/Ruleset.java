package dev.midplane.network.antispoof;

import java.util.List;
import java.util.Optional;

/**
 * Everything the bridge filter holds, as read back from the kernel ({@code ebtables-save},
 * {@code ebtables -L}, {@code nft -j list ruleset}) or as a script would leave it. Feed it to
 * {@link BridgeFilter} to ask what happens to a frame.
 */
public record Ruleset(List<Table> tables) {
  public static final Ruleset EMPTY = new Ruleset(List.of());

  public Ruleset {
    tables = List.copyOf(tables);
  }

  public Optional<Table> table(String family, String name) {
    return tables.stream().filter(t -> t.family().equals(family) && t.name().equals(name)).findFirst();
  }
}
