package dev.midplane.multipath;

import dev.midplane.core.NotFoundException;
import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.dm.DmInfo;
import dev.midplane.multipath.topology.MapTopology;
import dev.midplane.multipath.topology.MultipathPath;
import dev.midplane.sysfs.BlockDeviceName;
import dev.midplane.sysfs.MultipathMap;
import java.util.List;
import java.util.Optional;

/**
 * A multipath map of one host, named by its alias or by its LUN's WWID: a handle that acts —
 * {@link #resize()}, {@link #remove()} — and describes through fresh snapshots ({@link #status()}).
 * The handle does not cache: each call looks at the host again, and a map that does not exist
 * (yet, or any more) is a {@link NotFoundException} naming it.
 */
public final class MultipathDevice {
  private final Multipath multipath;
  private final Wwid wwid;
  private final Optional<MultipathAlias> alias;

  MultipathDevice(Multipath multipath, Wwid wwid, Optional<MultipathAlias> alias) {
    this.multipath = multipath;
    this.wwid = wwid;
    this.alias = alias;
    if (wwid == null && alias.isEmpty()) {
      throw new IllegalArgumentException("a map is named by a WWID or an alias");
    }
  }

  Multipath multipath() {
    return multipath;
  }

  /** How the handle names the map: its alias, or its WWID. */
  public String key() {
    return wwid != null ? wwid.value() : alias.orElseThrow().value();
  }

  /** True when the map exists on the host now. */
  public boolean exists() {
    return find().isPresent();
  }

  Optional<MultipathMap> find() {
    return multipath.map(Optional.ofNullable(wwid), alias);
  }

  MultipathMap require() {
    return find().orElseThrow(() -> new NotFoundException("multipath map", key(), "no such map on " + multipath.host().name()));
  }

  /**
   * A fresh snapshot: size, path groups with every path's device-mapper and checker states, open
   * count, holders, the kernel's paths of the LUN.
   *
   * @throws NotFoundException when the map does not exist
   */
  public MultipathDeviceStatus status() {
    MultipathMap map = require();
    MapName name = MapName.parse(map.name());
    MapTopology listed = multipath.tools().topology(name).orElseThrow(() -> new NotFoundException("multipath map", key(),
        "device-mapper has " + map.name() + " but `multipath -ll " + map.name() + "` on " + multipath.host().name()
            + " lists no such map"));
    DmInfo info = multipath.deviceMapper().info(name).orElseThrow(() -> new NotFoundException("multipath map", key(),
        "it vanished while its status was read on " + multipath.host().name()));
    List<BlockDeviceName> holders = multipath.sysfs().dmHoldersOf(map.device());
    return MultipathDeviceStatus.builder()
        .host(multipath.host().name())
        .name(name)
        .wwid(map.wwid())
        .dmDevice(map.device())
        .deviceNumber(map.dm().dev())
        .sizeBytes(map.sizeBytes())
        .openCount(info.openCount())
        .holders(holders)
        .suspended(info.suspended())
        .features(listed.features().orElse("0"))
        .hardwareHandler(listed.hardwareHandler().orElse("0"))
        .pathGroups(listed.pathGroups())
        .scsiPaths(multipath.sysfs().pathsTo(map.wwid()))
        .build();
  }

  /** The map's paths with their states ({@code status().paths()}). */
  public List<MultipathPath> paths() {
    return status().paths();
  }

  /**
   * Grows the map to its LUN's new size: rescans every path, requires every path to be up and to
   * report the same, larger size, then resizes the map and checks its size. Refuses to shrink.
   */
  public ResizeCommand resize() {
    return new ResizeCommand(this);
  }

  /**
   * Removes the map and its paths from this host: refused while the map is open or held; flushes
   * the map, deletes each path through sysfs, and checks that nothing came back.
   */
  public RemoveCommand remove() {
    return new RemoveCommand(this);
  }

  @Override
  public String toString() {
    return "multipath map " + key() + " on " + multipath.host().name();
  }
}
