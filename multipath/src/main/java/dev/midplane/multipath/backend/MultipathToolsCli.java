package dev.midplane.multipath.backend;

import dev.midplane.core.CommandFailedException;
import dev.midplane.core.Host;
import dev.midplane.core.exec.CommandResult;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.config.MultipathConfig;
import dev.midplane.multipath.topology.LogLine;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathListing;
import dev.midplane.multipath.topology.MultipathdTable;
import dev.midplane.sysfs.BlockDeviceName;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link MultipathTools} over the {@code multipath} and {@code multipathd} command lines. */
final class MultipathToolsCli implements MultipathTools {
  /** What {@code multipath -ll} adds on stderr where maps exist and no daemon runs. */
  static final String NO_DAEMON_WARNING = "multipathd service is not running";
  private final Cli cli;

  MultipathToolsCli(Host host, Duration timeout) {
    this.cli = new Cli(host, timeout);
  }

  @Override
  public ToolsVersion version() {
    CommandResult r = cli.run("multipath", "-h");
    String all = r.stdout() + r.stderr();
    if (!all.contains("multipath-tools v")) {
      throw CommandFailedException.exited(cli.hostName(), r.command().argv(), r.exitCode(),
          r.stderr().isBlank() ? "no version in the output" : r.stderr());
    }
    // 0.4.x exits 1 after the usage text; the version line is what counts.
    return ToolsVersion.parse(all);
  }

  /** stdout's topology; stderr's lines (multipath logs there) follow stdout's messages. */
  private static MultipathListing listing(CommandResult r) {
    MultipathListing l = MultipathListing.parse(r.stdout());
    if (r.stderr().isBlank()) {
      return l;
    }
    List<LogLine> messages = new ArrayList<>(l.messages());
    int offset = (int) r.stdout().lines().count();
    List<String> err = r.stderr().lines().toList();
    for (int i = 0; i < err.size(); i++) {
      if (!err.get(i).isBlank()) {
        messages.add(new LogLine(offset + i + 1, err.get(i)));
      }
    }
    return new MultipathListing(l.maps(), messages);
  }

  @Override
  public MultipathListing topology() {
    return listing(cli.execute("multipath", "-ll"));
  }

  @Override
  public Optional<MapTopology> topology(MapName name) {
    CommandResult r = cli.run("multipath", "-ll", name.value());
    if (r.exitCode() == 1 && r.stdout().isBlank()
        && r.stderr().lines().allMatch(l -> l.isBlank() || l.contains(NO_DAEMON_WARNING))) {
      // multipath-tools 0.9 exits 1, printing nothing, when the argument names no map
      return Optional.empty();
    }
    MultipathListing l = listing(r.requireSuccess(cli.hostName()));
    return l.map(name).or(() -> l.maps().stream().filter(m -> m.wwid().value().equals(name.value())).findFirst());
  }

  @Override
  public List<MapName> mapNames() {
    return MultipathListing.parseNames(cli.execute("multipath", "-ll", "-v1").stdout());
  }

  @Override
  public MultipathConfig effectiveConfig() {
    return MultipathConfig.parse(cli.execute("multipath", "-t").stdout());
  }

  @Override
  public MultipathListing daemonTopology() {
    return listing(cli.daemon("multipathd", "show", "topology"));
  }

  @Override
  public List<MapTopology> daemonMaps() {
    return MultipathListing.parseJson(cli.daemon("multipathd", "show", "maps", "json").stdout()).maps();
  }

  @Override
  public MultipathdTable daemonPaths() {
    return MultipathdTable.parse(cli.daemon("multipathd", "show", "paths").stdout());
  }

  @Override
  public boolean daemonRunning() {
    CommandResult r;
    try {
      r = cli.run("multipathd", "show", "daemon");
    } catch (dev.midplane.core.CommandTimeoutException e) {
      throw e;
    } catch (CommandFailedException e) {
      if (e.exitCode().isEmpty() && !Thread.currentThread().isInterrupted()) {
        return false; // multipathd is not installed
      }
      throw e;
    }
    String reply = r.stdout().strip();
    return r.exitCode() == 0 && reply.startsWith("pid ") && (reply.endsWith(" running") || reply.endsWith(" idle"));
  }

  @Override
  public void reconfigure() {
    cli.daemon("multipathd", "reconfigure");
  }

  @Override
  public void addMap(Wwid wwid) {
    cli.daemon("multipathd", "add", "map", wwid.value());
  }

  @Override
  public void createMap(Wwid wwid) {
    cli.execute("multipath", wwid.value());
  }

  @Override
  public void resizeMap(MapName name) {
    cli.daemon("multipathd", "resize", "map", name.value());
  }

  @Override
  public void flushMap(MapName name) {
    cli.execute("multipath", "-f", name.value());
  }

  @Override
  public void removePath(BlockDeviceName device) {
    cli.daemon("multipathd", "del", "path", device.value());
  }

  @Override
  public void failPath(BlockDeviceName device) {
    cli.daemon("multipathd", "fail", "path", device.value());
  }

  @Override
  public void reinstatePath(BlockDeviceName device) {
    cli.daemon("multipathd", "reinstate", "path", device.value());
  }
}
