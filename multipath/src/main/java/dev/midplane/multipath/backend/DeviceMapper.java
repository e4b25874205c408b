package dev.midplane.multipath.backend;

import dev.midplane.core.Host;
import dev.midplane.multipath.MapName;
import dev.midplane.multipath.dm.DmInfo;
import dev.midplane.multipath.dm.DmTarget;
import dev.midplane.multipath.dm.DmTreeNode;
import dev.midplane.multipath.dm.DmsetupDevice;
import dev.midplane.multipath.dm.MultipathStatus;
import dev.midplane.sysfs.DevNumber;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code dmsetup} commands midplane uses on multipath maps of one host. A map that does not
 * exist ({@code Device does not exist.}) is an empty result for {@link #info} and a
 * {@link dev.midplane.core.NotFoundException} elsewhere.
 */
public interface DeviceMapper {
  Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** The {@code dmsetup} backend on {@code host}. */
  static DeviceMapper dmsetup(Host host) {
    return new DmsetupCli(host, DEFAULT_TIMEOUT);
  }

  static DeviceMapper dmsetup(Host host, Duration timeout) {
    return new DmsetupCli(host, timeout);
  }

  /** {@code dmsetup ls --target multipath}: the multipath maps with their device numbers. */
  List<DmsetupDevice> multipathMaps();

  /** {@code dmsetup ls --tree}: every device with what it is built on. */
  List<DmTreeNode> tree();

  /** {@code dmsetup info -c <name>}: open count, suspension, UUID; empty when there is no such device. */
  Optional<DmInfo> info(MapName name);

  /** {@code dmsetup table <name>}: the map's one multipath target (its length is the map's size). */
  DmTarget table(MapName name);

  /** {@code dmsetup status <name>}: which group is active, which paths failed. */
  MultipathStatus status(MapName name);

  /** {@code dmsetup deps <name>}: the devices the map is built on. */
  List<DevNumber> dependencies(MapName name);

  /** {@code dmsetup suspend <name>}: queue new I/O and wait for I/O in flight. */
  void suspend(MapName name);

  /**
   * {@code dmsetup reload <name> --table "<start> <length> multipath <params>"}: load a table into
   * the inactive slot; it takes effect at {@link #resume}.
   */
  void reload(MapName name, DmTarget table);

  /** {@code dmsetup clear <name>}: drop a table loaded by {@link #reload} that will not be resumed. */
  void clear(MapName name);

  /** {@code dmsetup resume <name>}: switch to the loaded table and release queued I/O. */
  void resume(MapName name);

  /** {@code dmsetup remove <name>}: remove a device nobody holds open. */
  void remove(MapName name);
}
