package dev.midplane.multipath.topology;

import dev.midplane.core.names.Wwid;
import dev.midplane.multipath.MapName;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A multipath map as multipath-tools report it: a snapshot, not a handle. Fields a source does not
 * print are empty — {@code multipath -ll} has the size but no revision, JSON has the revision and
 * queueing state but no size.
 */
@Value.Immutable
public abstract class MapTopology {
  /** The device-mapper name: the alias, or the WWID for a map without one. */
  public abstract MapName name();

  public abstract Wwid wwid();

  /** What multipath did or would do to the map ({@code create}, {@code reload}), when printed. */
  public abstract Optional<String> action();

  /** The kernel's name for the map ({@code dm-0}); empty when printed as {@code undef}. */
  public abstract Optional<String> sysfsName();

  /** The SCSI vendor of the first path; empty when the map has no path ({@code ##}). */
  public abstract Optional<String> vendor();

  public abstract Optional<String> product();

  public abstract Optional<String> revision();

  public abstract Optional<DisplayedSize> size();

  /** The table's features as printed ({@code 0}, {@code 1 queue_if_no_path}). */
  public abstract Optional<String> features();

  /** The hardware handler as printed ({@code 0}, {@code 1 alua}). */
  public abstract Optional<String> hardwareHandler();

  public abstract Optional<WriteProtect> writeProtect();

  /** The map's device-mapper state from JSON ({@code active}, {@code suspend}). */
  public abstract Optional<String> dmState();

  /** The queueing state from JSON ({@code -}, {@code on}, {@code 12 chk}). */
  public abstract Optional<String> queueing();

  /** How many path failures the daemon counted, from JSON. */
  public abstract OptionalInt pathFaults();

  public abstract List<PathGroup> pathGroups();

  /** Every path of every group, in order. */
  @Value.Derived
  public List<MultipathPath> paths() {
    return pathGroups().stream().flatMap(g -> g.paths().stream()).toList();
  }

  /** True when the map is named by an alias rather than by its WWID. */
  public boolean hasAlias() {
    return !name().value().equals(wwid().value());
  }

  /** The paths that device-mapper uses and whose checker says they carry I/O. */
  public List<MultipathPath> upPaths() {
    return paths().stream().filter(MultipathPath::isUp).toList();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link MapTopology}. */
  public static final class Builder extends ImmutableMapTopology.Builder {}
}
