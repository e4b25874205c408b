package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathdTable;
import dev.midplane.sysfs.BlockDeviceName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code multipath} and {@code multipathd} commands of one host. Every method runs exactly the
 * argv it documents; names reach argv only as validated types ({@link MapName}, {@link Wwid},
 * {@link BlockDeviceName}).
 */
public interface MultipathTools {
  /** The default timeout of each command: {@code multipath -ll} runs every path checker. */
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  /** The command-line backend on {@code host}, with {@link #DEFAULT_TIMEOUT}. */
  static MultipathTools cli(Host host) {
    return new MultipathToolsCli(host, DEFAULT_TIMEOUT);
  }

  /** The command-line backend on {@code host}, with a per-command timeout. */
  static MultipathTools cli(Host host, Duration timeout) {
    return new MultipathToolsCli(host, timeout);
  }

  /** {@code multipath -h}: the release, from the first line of the usage text. */
  ToolsVersion version();

  /** {@code multipath -ll}: every map with checked paths; log lines come back as messages. */
  MultipathListing topology();

  /**
   * {@code multipath -ll <name>}: one map, or empty when multipath lists no such map (exit 0 with
   * no topology).
   */
  Optional<MapTopology> topology(MapName name);

  /** {@code multipath -ll -v1}: the names of the maps. */
  List<MapName> mapNames();

  /** {@code multipath -t}: the configuration multipath-tools actually uses (file plus built-ins). */
  MultipathConfig effectiveConfig();

  /** {@code multipathd show topology}: the daemon's view, without running checkers. */
  MultipathListing daemonTopology();

  /** {@code multipathd show maps json}: the daemon's maps with checker names and priorities. */
  List<MapTopology> daemonMaps();

  /** {@code multipathd show paths}: the daemon's paths as a table. */
  MultipathdTable daemonPaths();

  /**
   * {@code multipathd show daemon}: whether a multipathd answers on this host ({@code pid N running}
   * or {@code idle}). False when the client cannot reach a daemon (exit non-zero) or is not
   * installed; a timeout still throws.
   */
  boolean daemonRunning();

  /** {@code multipathd reconfigure}: re-read {@code multipath.conf} and reload the maps. */
  void reconfigure();

  /**
   * {@code multipathd add map <wwid>}: have the daemon create the map of a LUN it has paths to.
   * multipathd 0.9.4 then looks the map up by the argument: for a LUN with an alias it makes the map
   * and still replies {@code fail}, so this throws though the map exists — use {@link #createMap}.
   */
  void addMap(Wwid wwid);

  /**
   * {@code multipath <wwid>}: create (or reload) the map of a LUN, with or without a running daemon
   * (which adopts the map) — also what hosts with multipath-tools before 0.4.9 do.
   */
  void createMap(Wwid wwid);

  /** {@code multipathd resize map <name>}: grow the map to its paths' new size. */
  void resizeMap(MapName name);

  /** {@code multipath -f <name>}: flush (remove) one map; multipath refuses when it is open. */
  void flushMap(MapName name);

  /** {@code multipathd del path <dev>}: stop using a path device before it is deleted. */
  void removePath(BlockDeviceName device);

  /** {@code multipathd fail path <dev>}. */
  void failPath(BlockDeviceName device);

  /** {@code multipathd reinstate path <dev>}. */
  void reinstatePath(BlockDeviceName device);
}
