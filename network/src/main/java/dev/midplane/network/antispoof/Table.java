package dev.midplane.network.antispoof;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of the bridge family: its chains in listing order and its verdict maps (nftables; an
 * ebtables table has none).
 *
 * @param family {@code bridge} for everything this package reads
 * @param verdictMaps map name to (key to action); keys are interface names
 */
public record Table(String family, String name, List<Chain> chains, Map<String, Map<String, Action>> verdictMaps) {
  public Table {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(name, "name");
    chains = List.copyOf(chains);
    Map<String, Map<String, Action>> copy = new LinkedHashMap<>();
    verdictMaps.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
    verdictMaps = java.util.Collections.unmodifiableMap(copy);
  }

  public Optional<Chain> chain(String chainName) {
    return chains.stream().filter(c -> c.name().equals(chainName)).findFirst();
  }
}
