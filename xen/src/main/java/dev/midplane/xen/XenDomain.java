package dev.midplane.xen;

import dev.midplane.core.names.DomainName;
import dev.midplane.core.names.HostName;
import dev.midplane.core.names.InterfaceName;
import dev.midplane.core.names.MacAddress;
import dev.midplane.xen.config.DiskSpec;
import dev.midplane.xen.config.VifSpec;
import java.time.Duration;
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
