package dev.midplane.multipath.topology;

import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The maps of a topology listing and the messages printed among them.
 *
 * <pre>{@code
 * MultipathListing l = MultipathListing.parse(host.execute("multipath", "-ll").stdout());
 * MapTopology web = l.map(MapName.of(MultipathAlias.of("vm-web01"))).orElseThrow();
 * web.upPaths().size();   // 2
 * }</pre>
 *
 * @param maps the maps in the order printed
 * @param messages log lines printed among them (warnings, checker messages), with their lines
 */
public record MultipathListing(List<MapTopology> maps, List<LogLine> messages) {
  /** The two layouts multipath-tools have printed topologies in. */
  public enum Layout {
    /** 0.4.9 and later: {@code size=.. features='..'}, {@code |-+- policy='..'}. */
    TREE,
    /** 0.4.x: {@code [size=..][features=..]}, {@code \_ round-robin 0 [prio=..][active]}. */
    BRACKETS
  }

  public MultipathListing {
    maps = List.copyOf(maps);
    messages = List.copyOf(messages);
  }

  /**
   * Parses the output of {@code multipath -ll}, {@code multipath -l}, {@code multipath -v2} (the
   * {@code create:}/{@code reload:} topologies) or {@code multipathd show topology}, in either
   * layout; stderr may be interleaved. Empty output is an empty listing.
   *
   * @throws dev.midplane.multipath.MultipathParseException naming the line, for anything that is
   *     neither topology nor a log message, and for topology that is cut short
   */
  public static MultipathListing parse(String text) {
    return ListingParser.parse(Objects.requireNonNull(text, "text"));
  }

  /**
   * Parses {@code multipathd show maps json} or {@code multipathd show map <name> json}.
   *
   * @throws dev.midplane.multipath.MultipathParseException on syntax errors (with the line) or
   *     missing fields (with their JSON path)
   */
  public static MultipathListing parseJson(String text) {
    return new MultipathListing(MultipathdJson.parse(Objects.requireNonNull(text, "text")), List.of());
  }

  /** Parses {@code multipath -ll -v1} / {@code multipath -l -v1}: one map name per line. */
  public static List<MapName> parseNames(String text) {
    return ListingParser.parseNames(Objects.requireNonNull(text, "text"));
  }

  /**
   * Prints maps the way multipath-tools does in {@code layout}: what a simulated {@code multipath
   * -ll} answers. Maps must carry the fields the layout shows (size, features, hardware handler;
   * in the tree layout also write protection, group priorities and path device states).
   */
  public static String format(List<MapTopology> maps, Layout layout) {
    return ListingWriter.write(maps, layout);
  }

  /** The map with this name. */
  public Optional<MapTopology> map(MapName name) {
    return maps.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  /** The map of this LUN. */
  public Optional<MapTopology> map(Wwid wwid) {
    return maps.stream().filter(m -> m.wwid().equals(wwid)).findFirst();
  }
}
