package dev.midplane.multipath;

import dev.midplane.core.InvalidNameException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.Objects;
import java.util.Optional;

/**
 * The device-mapper name of a multipath map, as it reaches argv ({@code dmsetup table <name>},
 * {@code multipath -f <name>}): either an alias ({@code vm-web01}, or a generated
 * {@code mpatha}) or, for a map without alias, its WWID. Both are validated name types, so a map
 * name can never smuggle an option or a shell word into a command.
 */
public final class MapName implements Comparable<MapName> {
  private final String value;
  private final MultipathAlias alias;
  private final Wwid wwid;

  private MapName(String value, MultipathAlias alias, Wwid wwid) {
    this.value = value;
    this.alias = alias;
    this.wwid = wwid;
  }

  /** The map named by an alias. */
  public static MapName of(MultipathAlias alias) {
    return new MapName(alias.value(), alias, Wwid.isValid(alias.value()) ? Wwid.of(alias.value()) : null);
  }

  /** The map named by its WWID (a map without alias, {@code user_friendly_names no}). */
  public static MapName of(Wwid wwid) {
    return new MapName(wwid.value(), MultipathAlias.isValid(wwid.value()) ? MultipathAlias.of(wwid.value()) : null, wwid);
  }

  /**
   * A name as a tool printed it: valid when it is a valid alias or a valid WWID, otherwise
   * {@link InvalidNameException}.
   */
  public static MapName parse(String text) {
    boolean asAlias = MultipathAlias.isValid(text);
    boolean asWwid = Wwid.isValid(text);
    if (!asAlias && !asWwid) {
      throw new InvalidNameException("multipath map name", text, "neither a valid alias nor a valid WWID");
    }
    return new MapName(text, asAlias ? MultipathAlias.of(text) : null, asWwid ? Wwid.of(text) : null);
  }

  public String value() {
    return value;
  }

  /** The name as an alias, when it is one syntactically (WWIDs with ':' or spaces are not). */
  public Optional<MultipathAlias> asAlias() {
    return Optional.ofNullable(alias);
  }

  /** The name as a WWID, when it is one syntactically. */
  public Optional<Wwid> asWwid() {
    return Optional.ofNullable(wwid);
  }

  @Override
  public int compareTo(MapName o) {
    return value.compareTo(o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MapName m && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
