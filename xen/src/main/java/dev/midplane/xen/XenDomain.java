package dev.midplane.xen;

import dev.midplane.core.UnsafeOperationException;
import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.multipath.MultipathDevice;
import dev.midplane.multipath.MultipathDeviceStatus;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live handle on one domain of one host, by name: it acts ({@link #shutdown}, {@link #destroy},
 * {@link #attachDisk}, {@link #migrate}) and describes on demand — {@link #status()} and
 * {@link #details()} return fresh immutable snapshots, never cached ones. Holding a handle runs
 * nothing; a handle on a domain that does not exist (yet) fails with
 * {@link DomainNotFoundException} when used.
 */
public final class XenDomain {
  private final Toolstack toolstack;
  private final DomainName name;

  XenDomain(Toolstack toolstack, DomainName name) {
    this.toolstack = Objects.requireNonNull(toolstack, "toolstack");
    this.name = Objects.requireNonNull(name, "name");
  }

  public DomainName name() {
    return name;
  }

  /** The host the handle acts on. */
  public HostName host() {
    return toolstack.host();
  }

  /** The toolstack the handle acts through. */
  public Toolstack toolstack() {
    return toolstack;
  }

  /** A fresh {@code xl list} row. */
  public DomainInfo status() {
    return toolstack.status(name);
  }

  /** Whether the domain exists on this host now. */
  public boolean exists() {
    return toolstack.find(name).isPresent();
  }

  /** A fresh {@code xl list -l}: the running configuration with its disks and interfaces. */
  public DomainDetails details() {
    return toolstack.details(name);
  }

  /** Asks the guest to shut down and waits for it, at most {@code wait}. */
  public void shutdown(Duration wait) {
    toolstack.shutdown(name, wait);
  }

  /** Asks the guest to shut down without waiting. */
  public void requestShutdown() {
    toolstack.requestShutdown(name);
  }

  public void reboot() {
    toolstack.reboot(name);
  }

  /** Stops the domain at once. */
  public void destroy() {
    toolstack.destroy(name);
  }

  public void pause() {
    toolstack.pause(name);
  }

  public void unpause() {
    toolstack.unpause(name);
  }

  /** Hot-plugs a disk ({@link DiskSpec#multipath} for a multipath LUN). */
  public void attachDisk(DiskSpec disk) {
    toolstack.blockAttach(name, disk);
  }

  /**
   * Hot-plugs a multipath map of this domain's host as a disk: {@code phy:/dev/mapper/<alias>},
   * seen by the guest as {@code vdev}. The map is looked at first ({@code map.status()}), and the
   * attach is refused before the toolstack runs, with every reason found, when:
   *
   * <ul>
   *   <li>the map is on another host than this domain;
   *   <li>the map is named by its WWID, not by an alias — a VM's disks are found on the other hosts
   *       of a chassis by alias (migration preflight, placement), and a WWID name there is what a
   *       host shows for a LUN that is missing from the shared bindings;
   *   <li>the map is open or held already (another guest, a mount, a partition mapping) and
   *       {@code access} is not {@link DiskSpec.Access#SHARED_WRITE} (a cluster file system's
   *       disk, shared on purpose): a second writer corrupts it, and Xen's block script would
   *       refuse it only when a guest holds it.
   * </ul>
   *
   * @throws dev.midplane.core.NotFoundException when the map does not exist
   * @throws UnsafeOperationException with the reasons to refuse; nothing ran
   * @throws IllegalArgumentException when {@code vdev} is not a virtual disk name
   */
  public void attachDisk(MultipathDevice map, String vdev, DiskSpec.Access access) {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(access, "access");
    MultipathDeviceStatus s = map.status();
    String operation = "attach multipath map " + s.name().value() + " to " + name + " on " + host() + " as " + vdev;
    List<String> reasons = new ArrayList<>();
    if (!s.host().equals(host())) {
      reasons.add("the map is on " + s.host() + ", the domain on " + host());
    }
    if (s.alias().isEmpty()) {
      reasons.add("the map is named by its WWID " + s.wwid() + ", not by an alias: give the LUN an alias in the shared"
          + " bindings so every host names it alike");
    }
    if ((s.isOpen() || !s.holders().isEmpty()) && access != DiskSpec.Access.SHARED_WRITE) {
      reasons.add("the map is in use on " + s.host() + " (open count " + s.openCount() + (s.holders().isEmpty() ? ""
          : ", held by " + s.holders().stream().map(Object::toString).toList()) + ")");
    }
    if (!reasons.isEmpty()) {
      throw new UnsafeOperationException(operation, reasons);
    }
    attachDisk(DiskSpec.multipath(s.alias().get(), vdev, access));
  }

  /** Unplugs the disk the guest sees as {@code vdev}. */
  public void detachDisk(String vdev) {
    toolstack.blockDetach(name, vdev);
  }

  /** The virtual disks, fresh. */
  public List<BlockDevice> disks() {
    return toolstack.blockList(name);
  }

  /** Hot-plugs an interface with this MAC on this bridge. */
  public void attachInterface(InterfaceName bridge, MacAddress mac) {
    toolstack.networkAttach(name, VifSpec.of(mac, bridge));
  }

  /** Hot-plugs an interface as specified. */
  public void attachInterface(VifSpec vif) {
    toolstack.networkAttach(name, vif);
  }

  /** Unplugs the interface with this MAC. */
  public void detachInterface(MacAddress mac) {
    toolstack.networkDetach(name, mac);
  }

  /** The virtual interfaces, fresh. */
  public List<NetworkDevice> interfaces() {
    return toolstack.networkList(name);
  }

  /** The interface with this MAC, if the domain has one. */
  public Optional<NetworkDevice> interfaceWith(MacAddress mac) {
    return interfaces().stream().filter(n -> n.mac().equals(mac)).findFirst();
  }

  /** A live migration to {@code target}, configured with the command's setters and run with {@code call()}. */
  public MigrateCommand migrate(HostName target) {
    return toolstack.migrate(name, target);
  }

  /** Saves the domain's state to a file on the host; it stops unless {@code leaveRunning}. */
  public void save(String fileOnHost, boolean leaveRunning) {
    toolstack.save(name, fileOnHost, leaveRunning);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof XenDomain d && d.name.equals(name) && d.toolstack.host().equals(toolstack.host());
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, toolstack.host());
  }

  @Override
  public String toString() {
    return name + " on " + toolstack.host();
  }
}
