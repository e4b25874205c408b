package dev.midplane.sysfs;

import dev.midplane.core.names.MultipathAlias;
import dev.midplane.core.names.Wwid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A device-mapper multipath map as sysfs shows it: the {@link DmDevice} whose uuid is
 * {@code mpath-<wwid>}, seen as a LUN. sysfs knows nothing of path groups or path states in the
 * map (that is {@code multipath -ll}'s business); it knows the name, the WWID, the size and the
 * paths ({@code slaves/}).
 */
public record MultipathMap(DmDevice dm, Wwid wwid) {
  public MultipathMap {
    Objects.requireNonNull(dm, "dm");
    Objects.requireNonNull(wwid, "wwid");
  }

  /**
   * The map view of a device-mapper device, when its uuid is {@code mpath-<wwid>} with a valid
   * WWID.
   */
  public static Optional<MultipathMap> of(DmDevice dm) {
    return dm.uuid().filter(u -> u.startsWith("mpath-")).map(u -> u.substring("mpath-".length()))
        .filter(Wwid::isValid).map(w -> new MultipathMap(dm, Wwid.of(w)));
  }

  /** {@code dm-N}. */
  public BlockDeviceName device() {
    return dm.device();
  }

  /** The map's name: an alias, a generated {@code mpathN} name or the WWID itself. */
  public String name() {
    return dm.name();
  }

  /** The name as an alias, when it is a valid one. */
  public Optional<MultipathAlias> alias() {
    return MultipathAlias.isValid(dm.name()) ? Optional.of(MultipathAlias.of(dm.name())) : Optional.empty();
  }

  public long sizeBytes() {
    return dm.sizeBytes();
  }

  public boolean suspended() {
    return dm.suspended();
  }

  /** The map's paths, from {@code slaves/}. */
  public List<BlockDeviceName> paths() {
    return dm.slaves();
  }
}
